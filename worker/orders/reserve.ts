import { z } from "zod";
import { type Channel, channelFrom, channelStatement, loadChannel, poolOf } from "../db/channels";
import { channelAvailable } from "../domain/channel-limit";
import { parseProductSales, productSalesQuery } from "../db/product-sales";
import { componentLineId, type KitLine, type StockEntry, stockEntries } from "../promise/order-lines";
import { type AllocationRow, planAllocation } from "../promise/allocate";
import type { ErpOrderLine } from "./model";

/**
 * Stock reservation at the edge. `stock.reserved` has exactly one writer: these statements.
 * Taking stock is one conditional UPDATE per line and warehouse, checked by its changed-row count,
 * in the same transaction as the reservation row that records it, so two orders can never both
 * take the last unit and a crash can never leak a reserved unit without its record.
 *
 * Stock rows belong to the shop's stock pool (worker/db/channels.ts); reservation rows to the shop
 * (the channel) whose order holds them. Every channel of a pool takes from the same stock rows, so
 * the last unit is sold once across all of them, and a channel with a buffer or a cap takes only
 * while the same write finds what its rules leave it.
 */

export interface LineReservation {
  lineId: string;
  sku: string;
  allocations: Array<{ warehouse: string; qty: number }>;
  /** Units taken beyond available because the product allows backorders. */
  backordered: number;
  /** Units that could not be reserved at all (no backorders, not enough stock). */
  short: number;
}

const StockRow = z.object({ warehouse: z.string(), available: z.number(), on_hand: z.number(), backorder: z.number().nullable() });

export { allocationOrder } from "../promise/allocate";

const TAKE = `UPDATE stock SET reserved = reserved + ?4
  WHERE shop_id = ?1 AND sku = ?2 AND warehouse = ?3
    AND on_hand - committed - reserved - COALESCE((SELECT safety_stock FROM products WHERE shop_id = ?1 AND sku = ?2), 0) >= ?4`;
// TAKE for a channel with a buffer or a cap (?5 its warehouses as JSON or NULL, ?6 buffer units, ?7 buffer percent,
// ?8 cap or NULL): also only while what the channel may sell of the SKU, in the same statement, still covers ?4.
// The arithmetic is channelAvailable() of worker/domain/channel-limit.ts.
const TAKE_FOR_CHANNEL = `${TAKE}
    AND ?4 <= (SELECT min(COALESCE(?8, ?4),
        sum(max(0, a.on_hand - a.committed - a.reserved - COALESCE((SELECT safety_stock FROM products WHERE shop_id = ?1 AND sku = ?2), 0)))
        - max(?6, (sum(max(0, a.on_hand)) * CAST(?7 AS INTEGER) + 99) / 100))
      FROM stock a WHERE a.shop_id = ?1 AND a.sku = ?2 AND (?5 IS NULL OR a.warehouse IN (SELECT value FROM json_each(?5))))`;
const TAKE_BACKORDER = "UPDATE stock SET reserved = reserved + ?4 WHERE shop_id = ?1 AND sku = ?2 AND warehouse = ?3";
// Runs right after TAKE in the same batch: records the reservation only if TAKE changed a row.
const RECORD = `INSERT INTO reservations (shop_id, order_ref, line_id, sku, warehouse, qty, backorder, state, created_at)
  SELECT ?1, ?5, ?6, ?2, ?3, ?4, ?7, 'held', ?8 WHERE changes() = 1
  ON CONFLICT (shop_id, order_ref, line_id, warehouse) DO UPDATE SET
    qty = CASE WHEN reservations.state = 'held' THEN reservations.qty + excluded.qty ELSE excluded.qty END,
    backorder = CASE WHEN reservations.state = 'held' THEN max(reservations.backorder, excluded.backorder) ELSE excluded.backorder END,
    sku = CASE WHEN reservations.state = 'held' THEN reservations.sku ELSE excluded.sku END,
    created_at = CASE WHEN reservations.state = 'held' THEN reservations.created_at ELSE excluded.created_at END,
    released_at = NULL, state = 'held'`;
// Gives back ?5 units of one held row, in one batch and only while the row still holds ?6 (all of them releases the row).
const GIVE_BACK = `UPDATE stock SET reserved = max(0, reserved - ?5) WHERE shop_id = ${poolOf("?1")} AND sku = ?7 AND warehouse = ?4
  AND EXISTS (SELECT 1 FROM reservations WHERE shop_id = ?1 AND order_ref = ?2 AND line_id = ?3 AND warehouse = ?4 AND state = 'held' AND qty = ?6)`;
const SHRINK = `UPDATE reservations SET qty = CASE WHEN qty = ?5 THEN qty ELSE qty - ?5 END,
    state = CASE WHEN qty = ?5 THEN 'released' ELSE 'held' END, released_at = CASE WHEN qty = ?5 THEN ?7 ELSE NULL END
  WHERE shop_id = ?1 AND order_ref = ?2 AND line_id = ?3 AND warehouse = ?4 AND state = 'held' AND qty = ?6`;

/** The pool's stock of one SKU in the warehouses the channel may sell from. */
async function loadStock(db: D1Database, channel: Channel, sku: string) {
  const { results } = await db
    .prepare(
      `SELECT s.warehouse, s.on_hand - s.committed - s.reserved - COALESCE(p.safety_stock, 0) AS available, s.on_hand, p.backorder
       FROM stock s LEFT JOIN products p ON p.shop_id = s.shop_id AND p.sku = s.sku WHERE s.shop_id = ? AND s.sku = ?`,
    )
    .bind(channel.pool, sku)
    .all();
  const allowed = channel.warehouses;
  return results.map((r) => StockRow.parse(r)).filter((r) => allowed === undefined || allowed.includes(r.warehouse));
}

/** The conditional write that takes `take` units for this channel (see TAKE and TAKE_FOR_CHANNEL). */
function takeStatement(db: D1Database, channel: Channel, sku: string, warehouse: string, take: number): D1PreparedStatement {
  const l = channel.limit;
  if (!l) return db.prepare(TAKE).bind(channel.pool, sku, warehouse, take);
  const allowed = channel.warehouses === undefined ? null : JSON.stringify(channel.warehouses);
  return db.prepare(TAKE_FOR_CHANNEL).bind(channel.pool, sku, warehouse, take, allowed, l.bufferUnits, l.bufferPercent, l.cap);
}

/** The RECORD of `qty` units of `line` taken in `warehouse` (right after its TAKE in the same batch). */
const recordStatement = (
  db: D1Database,
  channel: Channel,
  orderRef: string,
  line: { lineId: string; sku: string },
  warehouse: string,
  qty: number,
  backorder: boolean,
  now: number,
) => db.prepare(RECORD).bind(channel.shop, line.sku, warehouse, qty, orderRef, line.lineId, backorder ? 1 : 0, now);

/** Takes `qty` units of `line` beyond what is available (a product the ERP lets backorder), and records them. */
const backorderStatements = (
  db: D1Database,
  channel: Channel,
  orderRef: string,
  line: { lineId: string; sku: string },
  warehouse: string,
  qty: number,
  now: number,
) => [db.prepare(TAKE_BACKORDER).bind(channel.pool, line.sku, warehouse, qty), recordStatement(db, channel, orderRef, line, warehouse, qty, true, now)];

/** Adds a take to a line's allocations (one entry per warehouse). */
function addAllocation(r: LineReservation, warehouse: string, qty: number) {
  const existing = r.allocations.find((a) => a.warehouse === warehouse);
  if (existing) existing.qty += qty;
  else r.allocations.push({ warehouse, qty });
}

/** What the channel's buffer and cap leave it of one SKU right now (the write checks it again); `need` when it has no rules. */
const channelLeft = (channel: Channel, rows: readonly { available: number; on_hand: number }[], need: number): number =>
  channel.limit
    ? channelAvailable(
        rows.reduce((n, r) => n + Math.max(0, r.available), 0),
        rows.reduce((n, r) => n + Math.max(0, r.on_hand), 0),
        channel.limit,
      )
    : need;

/** Reserves one line: as much as is available, warehouse by warehouse; the rest backordered or short. */
async function reserveLine(
  db: D1Database,
  channel: Channel,
  orderRef: string,
  line: { lineId: string; sku: string; qty: number; step?: number },
  priority: readonly string[],
  now: number,
) {
  const result: LineReservation = { lineId: line.lineId, sku: line.sku, allocations: [], backordered: 0, short: 0 };
  const add = (warehouse: string, qty: number) => addAllocation(result, warehouse, qty);
  let need = line.qty;
  let backorder = false;
  let firstWarehouse: string | undefined;
  // Each round re-reads stock and plans with the one allocator (allocate.ts); a round only repeats
  // when a concurrent order won a race, so it ends.
  for (let round = 0; round < 20 && need > 0; round++) {
    const rows = await loadStock(db, channel, line.sku);
    backorder = rows.some((r) => r.backorder === 1);
    const plan = planAllocation(rows, need, priority, Math.min(channelLeft(channel, rows, need), need), line.step ?? 1);
    firstWarehouse = plan.backorderWarehouse;
    if (plan.takes.length === 0) break;
    let raced = false;
    for (const t of plan.takes) {
      const [taken] = await db.batch([
        takeStatement(db, channel, line.sku, t.warehouse, t.qty),
        recordStatement(db, channel, orderRef, line, t.warehouse, t.qty, false, now),
      ]);
      if ((taken?.meta.changes ?? 0) !== 1) {
        raced = true;
        break;
      }
      add(t.warehouse, t.qty);
      need -= t.qty;
    }
    if (!raced) break;
  }
  if (need > 0 && backorder && firstWarehouse) {
    await db.batch(backorderStatements(db, channel, orderRef, line, firstWarehouse, need, now));
    add(firstWarehouse, need);
    result.backordered = need;
  } else result.short = need;
  return result;
}

// Gives back one take of a kit whose other components lost a race (the caller holds the order: nothing else changes its rows).
const UNTAKE = `UPDATE stock SET reserved = max(0, reserved - ?4) WHERE shop_id = ${poolOf("?1")} AND sku = ?2 AND warehouse = ?3`;
const UNRECORD = `UPDATE reservations SET qty = CASE WHEN qty = ?7 THEN qty ELSE qty - ?7 END,
    state = CASE WHEN qty = ?7 THEN 'released' ELSE 'held' END, released_at = CASE WHEN qty = ?7 THEN ?8 ELSE NULL END
  WHERE shop_id = ?1 AND order_ref = ?5 AND line_id = ?6 AND warehouse = ?3 AND sku = ?2 AND state = 'held'`;

/**
 * Reserves a kit line: kits, not components, are allocated (allocate.ts over each warehouse's kit
 * availability, the minimum over components), so every kit is taken from one warehouse with all its
 * components; each kit take writes all its components in one batch, and if a concurrent order won one
 * of them, the others are given back and the round re-reads. The rest is backordered (every component,
 * at the first warehouse) when every component allows backorders, else left short.
 * Answers one reservation per component, under the line id `<line>#<component sku>`.
 */
async function reserveKit(db: D1Database, channel: Channel, orderRef: string, kit: KitLine, priority: readonly string[], now: number) {
  const results = kit.components.map((c) => {
    const r: LineReservation = { lineId: componentLineId(kit.lineId, c.sku), sku: c.sku, allocations: [], backordered: 0, short: 0 };
    return { c, r };
  });
  let need = kit.kits;
  let backorder = false;
  let firstWarehouse: string | undefined;
  for (let round = 0; round < 20 && need > 0; round++) {
    const stocks = await Promise.all(kit.components.map(async (c) => ({ c, rows: await loadStock(db, channel, c.sku) })));
    backorder = stocks.every((s) => s.rows.some((r) => r.backorder === 1));
    const rows: AllocationRow[] = [];
    for (const w of stocks[0]?.rows ?? []) {
      let available = Number.POSITIVE_INFINITY;
      for (const s of stocks) {
        const row = s.rows.find((r) => r.warehouse === w.warehouse);
        available = Math.min(available, row ? Math.floor(row.available / s.c.qty) : Number.NEGATIVE_INFINITY);
      }
      if (available !== Number.NEGATIVE_INFINITY) rows.push({ warehouse: w.warehouse, available });
    }
    // Kits the channel's buffer and cap leave it: the fewest any component allows.
    const left = Math.min(...stocks.map((s) => Math.floor(channelLeft(channel, s.rows, need * s.c.qty) / s.c.qty)));
    const plan = planAllocation(rows, need, priority, Math.min(left, need));
    firstWarehouse = plan.backorderWarehouse;
    if (plan.takes.length === 0) break;
    let raced = false;
    for (const t of plan.takes) {
      const out = await db.batch(
        results.flatMap(({ c, r }) => [
          takeStatement(db, channel, c.sku, t.warehouse, t.qty * c.qty),
          db.prepare(RECORD).bind(channel.shop, c.sku, t.warehouse, t.qty * c.qty, orderRef, r.lineId, 0, now),
        ]),
      );
      const won = results.map((_, i) => (out[i * 2]?.meta.changes ?? 0) === 1);
      if (won.every(Boolean)) {
        for (const { c, r } of results) addAllocation(r, t.warehouse, t.qty * c.qty);
        need -= t.qty;
        continue;
      }
      await db.batch(
        results.flatMap(({ c, r }, i) =>
          won[i]
            ? [
                db.prepare(UNTAKE).bind(channel.shop, c.sku, t.warehouse, t.qty * c.qty),
                db.prepare(UNRECORD).bind(channel.shop, c.sku, t.warehouse, 0, orderRef, r.lineId, t.qty * c.qty, now),
              ]
            : [],
        ),
      );
      raced = true;
      break;
    }
    if (!raced) break;
  }
  const backordered = need > 0 && backorder && firstWarehouse;
  if (backordered && firstWarehouse) {
    const at = firstWarehouse;
    await db.batch(
      results.flatMap(({ c, r }) => [
        db.prepare(TAKE_BACKORDER).bind(channel.pool, c.sku, at, need * c.qty),
        db.prepare(RECORD).bind(channel.shop, c.sku, at, need * c.qty, orderRef, r.lineId, 1, now),
      ]),
    );
  }
  for (const { c, r } of results) {
    if (backordered && firstWarehouse) {
      addAllocation(r, firstWarehouse, need * c.qty);
      r.backordered = need * c.qty;
    } else r.short = need * c.qty;
  }
  return results.map((x) => x.r);
}

/**
 * Reserves every line that names a SKU, as if taken one after the other (a later line of the same SKU
 * gets what the earlier ones left), in as few round trips as the stock allows (see `reserveMany`).
 */
export async function reserveLines(
  db: D1Database,
  shop: string,
  orderRef: string,
  lines: readonly Pick<ErpOrderLine, "lineId" | "sku" | "qty">[],
  priority: readonly string[],
  now: number,
): Promise<LineReservation[]> {
  const asked = lines.filter((l): l is typeof l & { sku: string } => Boolean(l.sku) && l.qty > 0);
  if (asked.length === 0) return [];
  const skus = [...new Set(asked.map((l) => l.sku))];
  const [channelRow, salesRows, stockRows] = await db.batch([channelStatement(db, shop), productSalesQuery(db, shop, skus), stockOfSkus(db, shop, skus)]);
  const channel = channelFrom(shop, channelRow?.results[0]);
  // In stock units: a case of 12 is 12 units, a kit its components (worker/promise/order-lines.ts).
  const entries = stockEntries(asked, parseProductSales(salesRows));
  if (!entries.some((e) => e.kit)) return takeMany(db, channel, snapshotOf(channel, stockRows), orderRef, entries, priority, now);
  // An order with a kit: its lines one after the other, each kit whole from one warehouse (reserveKit).
  const out: LineReservation[] = [];
  const kitsDone = new Set<string>();
  for (const e of entries) {
    if (!e.kit) out.push(await reserveLine(db, channel, orderRef, e, priority, now));
    else if (!kitsDone.has(e.kit.lineId)) {
      kitsDone.add(e.kit.lineId);
      out.push(...(await reserveKit(db, channel, orderRef, e.kit, priority, now)));
    }
  }
  return out;
}

const HeldRow = z.object({ line_id: z.string(), sku: z.string(), warehouse: z.string(), qty: z.number() });

/**
 * Makes what an order holds follow its current lines (an edited order). Per SKU, the lines' total is
 * compared with the held rows' total: a surplus is given back (rows of removed lines first, then the
 * newest), each row by one conditional batch; a shortfall is reserved like a new line (same conditional
 * write, same warehouse order, backordered or short the same way), recorded under the lines that lack it. Running it again
 * changes nothing. The caller holds the order (see `followOrder` in apply.ts): nothing else reserves
 * for it meanwhile, and a concurrent full release simply makes the conditional row writes miss.
 */
export async function followLines(
  db: D1Database,
  shop: string,
  orderRef: string,
  lines: readonly Pick<ErpOrderLine, "lineId" | "sku" | "qty">[],
  priority: readonly string[],
  now: number,
): Promise<{ reservations: LineReservation[]; skus: string[] }> {
  const asked = lines.filter((l): l is typeof l & { sku: string } => Boolean(l.sku) && l.qty > 0);
  const [heldRows, salesRows] = await db.batch([
    db
      .prepare(
        `SELECT line_id, sku, warehouse, qty FROM reservations WHERE shop_id = ? AND order_ref = ? AND state = 'held'
         ORDER BY created_at DESC, backorder DESC, line_id DESC, warehouse DESC`,
      )
      .bind(shop, orderRef),
    productSalesQuery(
      db,
      shop,
      asked.map((l) => l.sku),
    ),
  ]);
  const results = heldRows?.results ?? [];
  // In stock units; a kit line is one entry per component (worker/promise/order-lines.ts).
  const wanted: StockEntry[] = stockEntries(asked, parseProductSales(salesRows));
  const asks = (r: { line_id: string; sku: string }) => wanted.some((l) => l.lineId === r.line_id && l.sku === r.sku);
  // Newest first, but rows of lines that no longer ask for their SKU (removed, changed) go before all others.
  const held = results.map((r) => HeldRow.parse(r)).sort((a, b) => Number(asks(a)) - Number(asks(b)));
  const total = (rows: readonly { qty: number }[]) => rows.reduce((n, r) => n + r.qty, 0);
  const skus = new Set<string>();
  const missing = new Map<string, number>();
  for (const sku of new Set([...held.map((r) => r.sku), ...wanted.map((l) => l.sku)])) {
    const diff = total(wanted.filter((l) => l.sku === sku)) - total(held.filter((r) => r.sku === sku));
    if (diff > 0) missing.set(sku, diff);
    let surplus = -diff;
    for (const r of held) {
      if (surplus <= 0) break;
      if (r.sku !== sku) continue;
      const give = Math.min(surplus, r.qty);
      const [, given] = await db.batch([
        db.prepare(GIVE_BACK).bind(shop, orderRef, r.line_id, r.warehouse, give, r.qty, sku),
        db.prepare(SHRINK).bind(shop, orderRef, r.line_id, r.warehouse, give, r.qty, now),
      ]);
      // A miss means a full release (cancel, ERP confirmation) took the row meanwhile; the caller sees that.
      if ((given?.meta.changes ?? 0) === 0) break;
      surplus -= give;
      skus.add(sku);
    }
  }
  const reservations: LineReservation[] = [];
  let channel: Channel | undefined;
  const lacking = (l: StockEntry) => Math.min(missing.get(l.sku) ?? 0, l.qty - total(held.filter((r) => r.line_id === l.lineId && r.sku === l.sku)));
  const kitsTaken = new Set<string>();
  const shortfall: Line[] = [];
  for (const l of wanted) {
    if (l.kit && kitsTaken.has(l.kit.lineId)) continue;
    const qty = lacking(l);
    if (qty <= 0) continue;
    channel ??= await loadChannel(db, shop);
    const kit = l.kit;
    // A kit line that holds nothing yet is taken as kits (each from one warehouse); an edited one component by component.
    const parts = kit ? wanted.filter((w) => w.kit?.lineId === kit.lineId) : [];
    if (kit && parts.every((w) => lacking(w) === w.qty)) {
      kitsTaken.add(kit.lineId);
      for (const w of parts) missing.set(w.sku, (missing.get(w.sku) ?? 0) - w.qty);
      for (const r of await reserveKit(db, channel, orderRef, kit, priority, now)) {
        reservations.push(r);
        if (r.allocations.length > 0) skus.add(r.sku);
      }
      continue;
    }
    missing.set(l.sku, (missing.get(l.sku) ?? 0) - qty);
    shortfall.push({ lineId: l.lineId, sku: l.sku, qty, step: l.step });
  }
  for (const r of await reserveMany(db, shop, orderRef, shortfall, priority, now)) {
    reservations.push(r);
    if (r.allocations.length > 0) skus.add(r.sku);
  }
  return { reservations, skus: [...skus] };
}

/**
 * Gives back every unit an order holds, in one transaction: `stock.reserved` goes down by exactly
 * what the held rows say, and the rows are marked released. Running it twice changes nothing.
 * Answers the SKUs whose availability changed.
 */
const SkuRow = z.object({ sku: z.string() });

export async function releaseReservations(db: D1Database, shop: string, orderRef: string, now: number): Promise<string[]> {
  const [held] = await db.batch([
    // No DISTINCT: it made the planner walk the shop's reservations in SKU order instead of the order's rows.
    db.prepare("SELECT sku FROM reservations WHERE shop_id = ? AND order_ref = ? AND state = 'held'").bind(shop, orderRef),
    db.prepare(GIVE_BACK_HELD).bind(shop, orderRef),
    db
      .prepare("UPDATE reservations SET state = 'released', released_at = ?3 WHERE shop_id = ?1 AND order_ref = ?2 AND state = 'held'")
      .bind(shop, orderRef, now),
  ]);
  return [...new Set((held?.results ?? []).map((r) => SkuRow.parse(r).sku))];
}

/**
 * Gives back what an order's held rows say, touching only their stock rows: the order's held rows
 * are found by their primary key and name the (sku, warehouse) keys to update, so the cost follows
 * the order's lines, never the shop's size (it used to visit every stock row of the shop).
 */
const GIVE_BACK_HELD = `UPDATE stock SET reserved = max(0, reserved - (SELECT sum(r.qty) FROM reservations r
    WHERE r.shop_id = ?1 AND r.order_ref = ?2 AND r.state = 'held' AND r.sku = stock.sku AND r.warehouse = stock.warehouse))
  WHERE shop_id = ${poolOf("?1")} AND (sku, warehouse) IN (SELECT sku, warehouse FROM reservations WHERE shop_id = ?1 AND order_ref = ?2 AND state = 'held')`;

/** The warehouses and quantities an order currently holds, as a statement for the caller's batch. */
export const heldAllocationsQuery = (db: D1Database, shop: string, orderRef: string) =>
  db
    .prepare("SELECT line_id, warehouse, qty, backorder FROM reservations WHERE shop_id = ? AND order_ref = ? AND state = 'held' ORDER BY line_id, warehouse")
    .bind(shop, orderRef);

/** Per line: where its stock is held, and whether any of it is backordered. */
export function parseHeldAllocations(
  result: D1Result | undefined,
): Map<string, { allocations: Array<{ warehouse: string; qty: number }>; backordered: boolean }> {
  const out = new Map<string, { allocations: Array<{ warehouse: string; qty: number }>; backordered: boolean }>();
  for (const raw of result?.results ?? []) {
    const r = z.object({ line_id: z.string(), warehouse: z.string(), qty: z.number(), backorder: z.number() }).parse(raw);
    const entry = out.get(r.line_id) ?? { allocations: [], backordered: false };
    entry.allocations.push({ warehouse: r.warehouse, qty: r.qty });
    entry.backordered ||= r.backorder === 1;
    out.set(r.line_id, entry);
  }
  return out;
}

/*
 * A whole order's reservation in as few calls to the database as its stock allows (issue 17). Each
 * call is a round trip (to the D1 primary in production, to the local D1 object in development), and
 * they, not the SQL, were the wall time of an order: 11 calls for 5 lines.
 *
 * 1. One read: the channel's row and the pool's stock of every SKU the order names.
 * 2. One transaction: every line's conditional takes (TAKE and its RECORD, exactly the statements a
 *    line taken alone runs), planned on that snapshot as if the lines were taken one after the other
 *    (a later line of the same SKU sees what the earlier ones took).
 * 3. Only when needed: a line whose take missed (a concurrent order won the race) is taken again on
 *    its own with fresh reads (`reserveLine`, the loop above), and lines that must backorder write
 *    their backorder in one more transaction.
 *
 * The conditional writes decide, as before: the snapshot only proposes, so the last unit is still
 * sold once, and a channel's buffer and cap are still checked inside the write.
 */

const SkuStockRow = StockRow.extend({ sku: z.string() });
type SkuStockRow = z.infer<typeof SkuStockRow>;

const STOCK_OF_SKUS = `SELECT s.sku, s.warehouse, s.on_hand - s.committed - s.reserved - COALESCE(p.safety_stock, 0) AS available, s.on_hand, p.backorder
  FROM stock s LEFT JOIN products p ON p.shop_id = s.shop_id AND p.sku = s.sku
  WHERE s.shop_id = ${poolOf("?1")} AND s.sku IN (SELECT value FROM json_each(?2))`;

type Line = { lineId: string; sku: string; qty: number; step?: number };

interface LinePlan {
  line: Line;
  result: LineReservation;
  takes: Array<{ warehouse: string; qty: number }>;
  /** What the snapshot could not cover. */
  need: number;
  backorder: boolean;
  firstWarehouse: string | undefined;
}

/**
 * What each line would take from the snapshot, lines in order, planned by the one allocator
 * (allocate.ts: priority, buffer and cap, case packs); lowers the snapshot's `available` as it goes.
 */
function planLines(lines: readonly Line[], stock: ReadonlyMap<string, SkuStockRow[]>, channel: Channel, priority: readonly string[]): LinePlan[] {
  return lines.map((line) => {
    const rows = stock.get(line.sku) ?? [];
    const result: LineReservation = { lineId: line.lineId, sku: line.sku, allocations: [], backordered: 0, short: 0 };
    const planned = planAllocation(rows, line.qty, priority, Math.min(channelLeft(channel, rows, line.qty), line.qty), line.step ?? 1);
    const backorder = rows.some((r) => r.backorder === 1);
    const taken = (warehouse: string | undefined, qty: number) => {
      const row = rows.find((r) => r.warehouse === warehouse);
      if (row) row.available -= qty;
    };
    for (const t of planned.takes) taken(t.warehouse, t.qty);
    // A backorder takes too (TAKE_BACKORDER): the next line of the SKU sees it, as it would one line after the other.
    if (planned.rest > 0 && backorder) taken(planned.backorderWarehouse, planned.rest);
    return { line, result, takes: planned.takes, need: planned.rest, backorder, firstWarehouse: planned.backorderWarehouse };
  });
}

const stockOfSkus = (db: D1Database, shop: string, skus: readonly string[]) => db.prepare(STOCK_OF_SKUS).bind(shop, JSON.stringify(skus));

/** The pool's stock of the read SKUs, per SKU, in the warehouses the channel may sell from. */
function snapshotOf(channel: Channel, stockRows: D1Result | undefined): Map<string, SkuStockRow[]> {
  const stock = new Map<string, SkuStockRow[]>();
  for (const raw of stockRows?.results ?? []) {
    const r = SkuStockRow.parse(raw);
    if (channel.warehouses !== undefined && !channel.warehouses.includes(r.warehouse)) continue;
    stock.set(r.sku, [...(stock.get(r.sku) ?? []), r]);
  }
  return stock;
}

/** Reserves `lines` (each with a SKU and a positive quantity) with one read of the channel and their stock, then `takeMany`. */
async function reserveMany(
  db: D1Database,
  shop: string,
  orderRef: string,
  lines: readonly Line[],
  priority: readonly string[],
  now: number,
): Promise<LineReservation[]> {
  if (lines.length === 0) return [];
  const skus = [...new Set(lines.map((l) => l.sku))];
  const [channelRow, stockRows] = await db.batch([channelStatement(db, shop), stockOfSkus(db, shop, skus)]);
  const channel = channelFrom(shop, channelRow?.results[0]);
  return takeMany(db, channel, snapshotOf(channel, stockRows), orderRef, lines, priority, now);
}

/** Takes `lines` planned on the `stock` snapshot, answering one result per line, in order (see above). */
async function takeMany(
  db: D1Database,
  channel: Channel,
  stock: ReadonlyMap<string, SkuStockRow[]>,
  orderRef: string,
  lines: readonly Line[],
  priority: readonly string[],
  now: number,
): Promise<LineReservation[]> {
  const plans = planLines(lines, stock, channel, priority);

  // Every planned take in one transaction; each RECORD follows its TAKE, so it records only what TAKE took.
  const takes = plans.flatMap((plan) => plan.takes.map((t) => ({ plan, ...t })));
  const raced = new Set<LinePlan>();
  if (takes.length > 0) {
    const done = await db.batch(
      takes.flatMap(({ plan, warehouse, qty }) => [
        takeStatement(db, channel, plan.line.sku, warehouse, qty),
        recordStatement(db, channel, orderRef, plan.line, warehouse, qty, false, now),
      ]),
    );
    takes.forEach(({ plan, warehouse, qty }, k) => {
      if ((done[2 * k]?.meta.changes ?? 0) === 1) addAllocation(plan.result, warehouse, qty);
      else raced.add(plan);
    });
  }

  // A line that lost a race is taken again on its own; a line the stock could not cover is short or backordered.
  const backorders: LinePlan[] = [];
  for (const plan of plans) {
    const { result } = plan;
    if (raced.has(plan)) {
      const taken = result.allocations.reduce((n, a) => n + a.qty, 0);
      const again = await reserveLine(db, channel, orderRef, { ...plan.line, qty: plan.line.qty - taken }, priority, now);
      for (const a of again.allocations) addAllocation(result, a.warehouse, a.qty);
      result.backordered = again.backordered;
      result.short = again.short;
    } else if (plan.need > 0 && plan.backorder && plan.firstWarehouse) backorders.push(plan);
    else result.short = plan.need;
  }
  if (backorders.length > 0) {
    await db.batch(backorders.flatMap((p) => (p.firstWarehouse ? backorderStatements(db, channel, orderRef, p.line, p.firstWarehouse, p.need, now) : [])));
    for (const p of backorders) {
      if (!p.firstWarehouse) continue;
      addAllocation(p.result, p.firstWarehouse, p.need);
      p.result.backordered = p.need;
    }
  }
  return plans.map((p) => p.result);
}
