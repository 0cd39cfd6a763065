import { z } from "zod";
import { poolOf } from "../db/channels";
import { MergedOrder } from "../orders/merge";

/**
 * Shop orders into demand: each order's lines, split by the warehouses its reservations took from
 * (what no warehouse took counts under ""), on the order's UTC creation day, replacing what the
 * order counted before; a cancelled order counts nothing. The job reads orders in
 * (updated_at, shop, order ref) order from a cursor, a bounded chunk a run, and only orders left
 * alone for `SETTLE_MS` (their reservation is written by then).
 */

export const SETTLE_MS = 2 * 60_000;
export const ORDERS_PER_RUN = 200;

const OrderRow = z.object({ shop_id: z.string(), order_ref: z.string(), state: z.string(), updated_at: z.number(), pool: z.string() });
const HeldRow = z.object({ order_ref: z.string(), shop_id: z.string(), line_id: z.string(), sku: z.string(), warehouse: z.string(), qty: z.number() });

export interface DemandLine {
  line: string;
  sku: string;
  warehouse: string;
  day: string;
  qty: number;
}

/** One order's demand lines from its merged state and its reservation rows. */
export function orderDemand(state: MergedOrder, reservations: ReadonlyArray<z.infer<typeof HeldRow>>): DemandLine[] {
  if (state.cancelled || !state.order) return [];
  const day = state.order.createdAt.slice(0, 10);
  const out: DemandLine[] = [];
  for (const l of state.order.lines) {
    if (!l.sku || l.qty <= 0) continue;
    let left = l.qty;
    for (const r of reservations.filter((r) => r.line_id === l.lineId)) {
      const qty = Math.min(left, r.qty);
      if (qty <= 0) continue;
      out.push({ line: l.lineId, sku: r.sku, warehouse: r.warehouse, day, qty });
      left -= qty;
    }
    if (left > 0) out.push({ line: l.lineId, sku: l.sku, warehouse: "", day, qty: left });
  }
  return out;
}

/** Reads the next chunk of settled orders into `demand_lines`; answers how many orders it read. */
export async function collectOrderDemand(db: D1Database, now: number, limit = ORDERS_PER_RUN): Promise<number> {
  const cursor = await db.prepare("SELECT updated_at, shop_id, order_ref FROM demand_cursor WHERE id = 1").first();
  const from = z.object({ updated_at: z.number(), shop_id: z.string(), order_ref: z.string() }).nullable().parse(cursor) ?? {
    updated_at: 0,
    shop_id: "",
    order_ref: "",
  };
  const { results } = await db
    .prepare(
      `SELECT o.shop_id, o.order_ref, o.state, o.updated_at, ${poolOf("o.shop_id")} AS pool FROM shop_orders o INDEXED BY shop_orders_updated
       WHERE (o.updated_at, o.shop_id, o.order_ref) > (?1, ?2, ?3) AND o.updated_at < ?4
       ORDER BY o.updated_at, o.shop_id, o.order_ref LIMIT ?5`,
    )
    .bind(from.updated_at, from.shop_id, from.order_ref, now - SETTLE_MS, limit)
    .all();
  const orders = z.array(OrderRow).parse(results);
  const last = orders.at(-1);
  if (!last) return 0;
  const keys = JSON.stringify(orders.map((o) => [o.shop_id, o.order_ref]));
  const held = z.array(HeldRow).parse(
    (
      await db
        .prepare(
          `SELECT r.shop_id, r.order_ref, r.line_id, r.sku, r.warehouse, r.qty FROM reservations r
           JOIN json_each(?1) k ON r.shop_id = k.value ->> 0 AND r.order_ref = k.value ->> 1`,
        )
        .bind(keys)
        .all()
    ).results,
  );
  const statements: D1PreparedStatement[] = [];
  for (const o of orders) {
    const source = `order:${o.shop_id}:${o.order_ref}`;
    const lines = orderDemand(
      MergedOrder.parse(JSON.parse(o.state)),
      held.filter((h) => h.shop_id === o.shop_id && h.order_ref === o.order_ref),
    );
    statements.push(db.prepare("DELETE FROM demand_lines WHERE pool_id = ? AND source = ?").bind(o.pool, source));
    if (lines.length > 0) {
      statements.push(
        db
          .prepare(
            `INSERT INTO demand_lines (pool_id, source, line, sku, warehouse, day, qty)
             SELECT ?1, ?2, r.value ->> 0, r.value ->> 1, r.value ->> 2, r.value ->> 3, r.value ->> 4 FROM json_each(?3) AS r WHERE true
             ON CONFLICT (pool_id, source, line, sku, warehouse) DO UPDATE SET qty = demand_lines.qty + excluded.qty, day = excluded.day`,
          )
          .bind(o.pool, source, JSON.stringify(lines.map((l) => [l.line, l.sku, l.warehouse, l.day, l.qty]))),
      );
    }
  }
  statements.push(
    db
      .prepare(
        `INSERT INTO demand_cursor (id, updated_at, shop_id, order_ref) VALUES (1, ?1, ?2, ?3)
         ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at, shop_id = excluded.shop_id, order_ref = excluded.order_ref`,
      )
      .bind(last.updated_at, last.shop_id, last.order_ref),
  );
  await db.batch(statements);
  return orders.length;
}

/** Daily demand of one SKU in one warehouse ("" for what no warehouse took) of a pool, from `since` (YYYY-MM-DD) on. */
/** A SKU's demand per day in one warehouse of a pool since `since`, as a statement for the caller's batch (read it with `parseDailyDemand`). */
export const dailyDemandQuery = (db: D1Database, pool: string, sku: string, warehouse: string, since: string): D1PreparedStatement =>
  db
    .prepare("SELECT day, sum(qty) AS qty FROM demand_lines WHERE pool_id = ? AND sku = ? AND warehouse = ? AND day >= ? GROUP BY day")
    .bind(pool, sku, warehouse, since);

/** Day → quantity, from `dailyDemandQuery`'s result. */
export const parseDailyDemand = (result: D1Result | undefined): Map<string, number> =>
  new Map(
    z
      .array(z.object({ day: z.string(), qty: z.number() }))
      .parse(result?.results ?? [])
      .map((r) => [r.day, r.qty]),
  );
