import { z } from "zod";
import type { ErpOrderLine } from "./model";

/**
 * Stock reservation at the edge. `stock.reserved` has exactly one writer: these statements.
 * Taking stock is one conditional UPDATE per line and warehouse, checked by its changed-row count,
 * in the same transaction as the reservation row that records it, so two orders can never both
 * take the last unit and a crash can never leak a reserved unit without its record.
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

const StockRow = z.object({ warehouse: z.string(), available: z.number(), backorder: z.number().nullable() });

/** Warehouses in allocation order: the shop's priority first, then the most available. */
export function allocationOrder<T extends { warehouse: string; available: number }>(rows: readonly T[], priority: readonly string[]): T[] {
  const rank = (w: string) => {
    const i = priority.indexOf(w);
    return i === -1 ? priority.length : i;
  };
  return [...rows].sort((a, b) => rank(a.warehouse) - rank(b.warehouse) || b.available - a.available || (a.warehouse < b.warehouse ? -1 : 1));
}

const TAKE = `UPDATE stock SET reserved = reserved + ?4
  WHERE shop_id = ?1 AND sku = ?2 AND warehouse = ?3
    AND on_hand - committed - reserved - COALESCE((SELECT safety_stock FROM products WHERE shop_id = ?1 AND sku = ?2), 0) >= ?4`;
const TAKE_BACKORDER = "UPDATE stock SET reserved = reserved + ?4 WHERE shop_id = ?1 AND sku = ?2 AND warehouse = ?3";
// Runs right after TAKE in the same batch: records the reservation only if TAKE changed a row.
const RECORD = `INSERT INTO reservations (shop_id, order_ref, line_id, sku, warehouse, qty, backorder, state, created_at)
  SELECT ?1, ?5, ?6, ?2, ?3, ?4, ?7, 'held', ?8 WHERE changes() = 1
  ON CONFLICT (shop_id, order_ref, line_id, warehouse) DO UPDATE SET qty = reservations.qty + excluded.qty,
    backorder = max(reservations.backorder, excluded.backorder), state = 'held'`;

async function loadStock(db: D1Database, shop: string, sku: string) {
  const { results } = await db
    .prepare(
      `SELECT s.warehouse, s.on_hand - s.committed - s.reserved - COALESCE(p.safety_stock, 0) AS available, p.backorder
       FROM stock s LEFT JOIN products p ON p.shop_id = s.shop_id AND p.sku = s.sku WHERE s.shop_id = ? AND s.sku = ?`,
    )
    .bind(shop, sku)
    .all();
  return results.map((r) => StockRow.parse(r));
}

/** Reserves one line: as much as is available, warehouse by warehouse; the rest backordered or short. */
async function reserveLine(
  db: D1Database,
  shop: string,
  orderRef: string,
  line: { lineId: string; sku: string; qty: number },
  priority: readonly string[],
  now: number,
) {
  const result: LineReservation = { lineId: line.lineId, sku: line.sku, allocations: [], backordered: 0, short: 0 };
  const add = (warehouse: string, qty: number) => {
    const existing = result.allocations.find((a) => a.warehouse === warehouse);
    if (existing) existing.qty += qty;
    else result.allocations.push({ warehouse, qty });
  };
  let need = line.qty;
  let backorder = false;
  let firstWarehouse: string | undefined;
  // Each round re-reads stock; a round only repeats when a concurrent order won a race, so it ends.
  for (let round = 0; round < 20 && need > 0; round++) {
    const rows = allocationOrder(await loadStock(db, shop, line.sku), priority);
    backorder = rows.some((r) => r.backorder === 1);
    firstWarehouse = rows[0]?.warehouse;
    const candidates = rows.filter((r) => r.available > 0);
    if (candidates.length === 0) break;
    let raced = false;
    for (const w of candidates) {
      const take = Math.min(need, w.available);
      const [taken] = await db.batch([
        db.prepare(TAKE).bind(shop, line.sku, w.warehouse, take),
        db.prepare(RECORD).bind(shop, line.sku, w.warehouse, take, orderRef, line.lineId, 0, now),
      ]);
      if ((taken?.meta.changes ?? 0) === 1) {
        add(w.warehouse, take);
        need -= take;
        if (need === 0) break;
      } else raced = true;
    }
    if (!raced) break;
  }
  if (need > 0 && backorder && firstWarehouse) {
    await db.batch([
      db.prepare(TAKE_BACKORDER).bind(shop, line.sku, firstWarehouse, need),
      db.prepare(RECORD).bind(shop, line.sku, firstWarehouse, need, orderRef, line.lineId, 1, now),
    ]);
    add(firstWarehouse, need);
    result.backordered = need;
  } else result.short = need;
  return result;
}

/** Reserves every line that names a SKU. Lines are taken one after the other; each is atomic on its own. */
export async function reserveLines(
  db: D1Database,
  shop: string,
  orderRef: string,
  lines: readonly Pick<ErpOrderLine, "lineId" | "sku" | "qty">[],
  priority: readonly string[],
  now: number,
): Promise<LineReservation[]> {
  const out: LineReservation[] = [];
  for (const l of lines) {
    if (!l.sku || l.qty <= 0) continue;
    out.push(await reserveLine(db, shop, orderRef, { lineId: l.lineId, sku: l.sku, qty: l.qty }, priority, now));
  }
  return out;
}

/**
 * Gives back every unit an order holds, in one transaction: `stock.reserved` goes down by exactly
 * what the held rows say, and the rows are marked released. Running it twice changes nothing.
 * Answers the SKUs whose availability changed.
 */
export async function releaseReservations(db: D1Database, shop: string, orderRef: string, now: number): Promise<string[]> {
  const [held] = await db.batch([
    db.prepare("SELECT DISTINCT sku FROM reservations WHERE shop_id = ? AND order_ref = ? AND state = 'held'").bind(shop, orderRef),
    db
      .prepare(
        `UPDATE stock SET reserved = max(0, reserved - (SELECT COALESCE(sum(r.qty), 0) FROM reservations r
           WHERE r.shop_id = ?1 AND r.order_ref = ?2 AND r.sku = stock.sku AND r.warehouse = stock.warehouse AND r.state = 'held'))
         WHERE shop_id = ?1 AND EXISTS (SELECT 1 FROM reservations r
           WHERE r.shop_id = ?1 AND r.order_ref = ?2 AND r.sku = stock.sku AND r.warehouse = stock.warehouse AND r.state = 'held')`,
      )
      .bind(shop, orderRef),
    db
      .prepare("UPDATE reservations SET state = 'released', released_at = ?3 WHERE shop_id = ?1 AND order_ref = ?2 AND state = 'held'")
      .bind(shop, orderRef, now),
  ]);
  return (held?.results ?? []).map((r) => z.object({ sku: z.string() }).parse(r).sku);
}

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
