import { type ChannelLimit, channelAvailable } from "../domain/channel-limit";
import { planAllocation } from "./allocate";

/**
 * The promise engine: for each line of a cart, what ships now from which warehouses, what follows on
 * which dates from which receipts, what nothing covers yet, and when the whole line can ship. Pure:
 * it reads a snapshot (`PromiseState`) and never writes.
 *
 * Same semantics as reservation (worker/orders/reserve.ts): "now" is planned by the one allocator
 * (planAllocation: shop's warehouse priority, then the most available, within the channel's buffer
 * and cap, in whole case packs), lines are taken one after the other from the same stock, and what
 * cannot be taken now is what an order would backorder at its first warehouse (if the product allows
 * backorders) or leave short. Those units are dated from that warehouse's incoming receipts, earliest
 * first, after what is already claimed: a warehouse whose committed + reserved + safety stock exceed
 * its on hand has claimed that deficit from its earliest receipts (earlier orders' backorders and the
 * ERP's own commitments), and earlier lines of the same cart claim theirs. A date is the day the
 * units are there (today, or a receipt's ETA) plus the warehouse's lead time.
 *
 * Kits: a kit's availability in a warehouse is the minimum over its components (each divided by the
 * quantity a kit needs); a kit ships from one warehouse with all its components; its dated units come
 * when every component has arrived (a component already there counts from today if the kit backorders,
 * since its order then holds it). Components shared
 * by several lines are counted once: every line takes from the same ledger.
 */

export interface PromiseReceipt {
  qty: number;
  eta: string;
  ref?: string;
}

export interface PromiseStockRow {
  warehouse: string;
  onHand: number;
  committed: number;
  reserved: number;
  incoming: readonly PromiseReceipt[];
}

export interface PromiseProduct {
  backorder: boolean;
  safetyStock: number;
  /** Present for a kit: what one kit takes of each component (stock units). */
  components?: ReadonlyArray<{ sku: string; qty: number }>;
  /** The SKU's stock rows in the warehouses the channel may sell from. */
  stock: readonly PromiseStockRow[];
}

export interface PromiseState {
  /** YYYY-MM-DD. */
  today: string;
  priority: readonly string[];
  leadTimeDays: Readonly<Record<string, number>>;
  limit: ChannelLimit | undefined;
  products: ReadonlyMap<string, PromiseProduct>;
}

/** One line in stock units (kits: in kits); `step`: the case pack a warehouse hands out whole. */
export interface StockLine {
  sku: string;
  qty: number;
  step?: number;
}

export interface LinePromise {
  sku: string;
  qty: number;
  now: Array<{ warehouse: string; qty: number; date: string }>;
  dated: Array<{ warehouse: string; qty: number; date: string; refs: string[] }>;
  /** Units no stock and no known receipt covers. */
  unscheduled: number;
  /** What an order placed now would hold: `now`, plus the rest if the product allows backorders. */
  orderable: number;
  backorder: boolean;
  /** Where an order would hold what it cannot take now (the first warehouse in allocation order). */
  backorderAt: string | undefined;
  /** When the whole line can ship; null while some of it has no date. */
  completeDate: string | null;
}

interface Slot {
  date: string;
  qty: number;
  ref?: string;
}

/** The mutable reading of one (SKU, warehouse) while a cart is promised. */
interface Cell {
  available: number;
  onHand: number;
  /** Unclaimed receipts, earliest first. */
  receipts: Slot[];
}

export const addDays = (day: string, days: number): string => {
  if (days === 0) return day;
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

/** The ledger: every SKU's cells, built once per cart, taken from line by line. */
class Ledger {
  readonly cells = new Map<string, Map<string, Cell>>();
  constructor(readonly state: PromiseState) {}

  cellsOf(sku: string): Map<string, Cell> {
    let cells = this.cells.get(sku);
    if (cells) return cells;
    cells = new Map();
    const p = this.state.products.get(sku);
    for (const row of p?.stock ?? []) {
      const available = row.onHand - row.committed - row.reserved - (p?.safetyStock ?? 0);
      const receipts = [...row.incoming]
        .map((r) => ({ date: r.eta.slice(0, 10) < this.state.today ? this.state.today : r.eta.slice(0, 10), qty: r.qty, ...(r.ref ? { ref: r.ref } : {}) }))
        .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
      // What is committed and reserved beyond on hand has claimed the earliest receipts.
      claim(receipts, Math.max(0, -available));
      cells.set(row.warehouse, { available, onHand: row.onHand, receipts });
    }
    this.cells.set(sku, cells);
    return cells;
  }

  /** What the channel's buffer and cap leave it of `sku` now (the reservation write's arithmetic). */
  channelLeft(sku: string): number {
    const limit = this.state.limit;
    if (!limit) return Number.POSITIVE_INFINITY;
    let available = 0;
    let onHand = 0;
    for (const c of this.cellsOf(sku).values()) {
      if (c.available > 0) available += c.available;
      onHand += Math.max(0, c.onHand);
    }
    return channelAvailable(available, onHand, limit);
  }

  shipDate(warehouse: string, day: string): string {
    return addDays(day, this.state.leadTimeDays[warehouse] ?? 0);
  }
}

/** Takes `qty` from the earliest slots; answers what each gave. */
function claim(slots: Slot[], qty: number): Slot[] {
  const taken: Slot[] = [];
  let need = qty;
  for (const s of slots) {
    if (need <= 0) break;
    const take = Math.min(need, s.qty);
    if (take <= 0) continue;
    s.qty -= take;
    need -= take;
    taken.push({ ...s, qty: take });
  }
  return taken;
}

/** A kit (or a plain SKU: one component of 1) as the allocator sees it. */
interface Item {
  components: ReadonlyArray<{ sku: string; qty: number }>;
  kit: boolean;
}

function kitRows(ledger: Ledger, item: Item) {
  const [first, ...others] = item.components;
  if (!first) return [];
  const rows: Array<{ warehouse: string; available: number }> = [];
  for (const [warehouse, cell] of ledger.cellsOf(first.sku)) {
    let available = Math.floor(cell.available / first.qty);
    let everywhere = true;
    for (const c of others) {
      const other = ledger.cellsOf(c.sku).get(warehouse);
      if (!other) everywhere = false;
      else available = Math.min(available, Math.floor(other.available / c.qty));
    }
    if (everywhere) rows.push({ warehouse, available });
  }
  return rows;
}

/**
 * Dates `rest` units (kits) at `warehouse` from its receipts. A kit that backorders also counts the
 * components already there (its order holds them now); one that does not gets no hold, so only
 * receipts date it and what is on hand stays for the next line, as the reservation leaves it.
 */
function dateRest(ledger: Ledger, item: Item, warehouse: string, rest: number, holdsHere: boolean) {
  const timelines = item.components.map((c) => {
    const cell = ledger.cellsOf(c.sku).get(warehouse);
    const here: Array<Slot & { here: boolean }> =
      holdsHere && cell && cell.available > 0 ? [{ date: ledger.state.today, qty: cell.available, here: true }] : [];
    return { c, cell, slots: [...here, ...(cell?.receipts ?? []).map((r) => ({ ...r, here: false }))] };
  });
  const dates = [...new Set(timelines.flatMap((t) => t.slots.filter((s) => s.qty > 0).map((s) => s.date)))].sort();
  const dated: LinePromise["dated"] = [];
  let promised = 0;
  for (const date of dates) {
    if (promised >= rest) break;
    const by = Math.min(...timelines.map((t) => Math.floor(t.slots.filter((s) => s.date <= date).reduce((n, s) => n + s.qty, 0) / t.c.qty)));
    const more = Math.min(rest, by) - promised;
    if (more <= 0) continue;
    const refs = [...new Set(timelines.flatMap((t) => t.slots.flatMap((s) => (s.date === date && !s.here && s.qty > 0 && s.ref ? [s.ref] : []))))];
    dated.push({ warehouse, qty: more, date: ledger.shipDate(warehouse, date), refs });
    promised += more;
  }
  // Take what was dated: components already there first, then receipts, earliest first.
  const fromHere = new Map<string, number>();
  for (const t of timelines) {
    if (!t.cell) continue;
    let need = promised * t.c.qty;
    const here = t.slots[0]?.here ? Math.min(need, t.slots[0].qty) : 0;
    t.cell.available -= here;
    need -= here;
    fromHere.set(t.c.sku, here);
    claim(t.cell.receipts, need);
  }
  return { dated, promised, fromHere };
}

/** Promises one line, taking what it gets from the ledger. */
function promiseLine(ledger: Ledger, line: StockLine): LinePromise {
  const product = ledger.state.products.get(line.sku);
  const item: Item = product?.components ? { components: product.components, kit: true } : { components: [{ sku: line.sku, qty: 1 }], kit: false };
  // A kit backorders only when every component does (as its reservation does).
  const backorder = item.kit ? item.components.every((c) => ledger.state.products.get(c.sku)?.backorder === true) : (product?.backorder ?? false);
  const rows = kitRows(ledger, item);
  const left = Math.min(...item.components.map((c) => Math.floor(ledger.channelLeft(c.sku) / c.qty)));
  const plan = planAllocation(rows, line.qty, ledger.state.priority, Math.min(left, line.qty), item.kit ? 1 : (line.step ?? 1));
  const now = plan.takes.map((t) => {
    for (const c of item.components) {
      const cell = ledger.cellsOf(c.sku).get(t.warehouse);
      if (cell) cell.available -= t.qty * c.qty;
    }
    return { warehouse: t.warehouse, qty: t.qty, date: ledger.shipDate(t.warehouse, ledger.state.today) };
  });
  const w = plan.backorderWarehouse;
  let dated: LinePromise["dated"] = [];
  let promised = 0;
  if (plan.rest > 0 && w !== undefined) {
    const d = dateRest(ledger, item, w, plan.rest, item.kit && backorder);
    dated = d.dated;
    promised = d.promised;
    // An order backorders the rest at that warehouse: the ledger's available goes below zero by it.
    if (backorder)
      for (const c of item.components) {
        const cell = ledger.cellsOf(c.sku).get(w);
        if (cell) cell.available -= plan.rest * c.qty - (d.fromHere.get(c.sku) ?? 0);
      }
  }
  const unscheduled = plan.rest - promised;
  const took = line.qty - plan.rest;
  const dates = [...now, ...dated].map((p) => p.date).sort();
  return {
    sku: line.sku,
    qty: line.qty,
    now,
    dated,
    unscheduled,
    orderable: backorder && w !== undefined ? line.qty : took,
    backorder,
    backorderAt: w,
    completeDate: unscheduled > 0 ? null : (dates.at(-1) ?? ledger.state.today),
  };
}

/** Promises a cart: lines in order, each taking from what the earlier ones left. */
export function promiseCart(state: PromiseState, lines: readonly StockLine[]): LinePromise[] {
  const ledger = new Ledger(state);
  return lines.map((l) => promiseLine(ledger, l));
}
