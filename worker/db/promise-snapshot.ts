import { z } from "zod";
import type { PromiseProduct } from "../promise/engine";
import type { ProductSales } from "../promise/sales-unit";
import type { PromiseSnapshot } from "../promise/snapshot";
import { type Channel, limitOf, poolOf } from "./channels";
import { salesOf } from "./product-sales";
import { Incoming } from "./rows";
import { resolveSkusCte } from "./sku-resolution";

/**
 * Reads what a promise needs in one round trip: the selling channel, the shop's warehouse priority,
 * the pool's lead times, the asked SKUs resolved (SKU, alias or GTIN) with how they sell, and the
 * products and stock of those SKUs and of every kit's components (kept to the channel's warehouses).
 */

const ChannelRow = z.object({
  pool_id: z.string(),
  warehouses: z.string().nullable(),
  buffer_units: z.number(),
  buffer_percent: z.number(),
  cap: z.number().nullable(),
});
const LeadRow = z.object({ code: z.string(), name: z.string(), lead_time_days: z.number().nullable() });
const SalesRow = z.object({ asked: z.string(), sku: z.string(), factor: z.string().nullable() });
const ProductRowDb = z.object({ sku: z.string(), backorder: z.number(), safety_stock: z.number() });
const StockRowDb = z.object({ sku: z.string(), warehouse: z.string(), on_hand: z.number(), committed: z.number(), reserved: z.number(), incoming: Incoming });

const POOL = poolOf("?1");
// ?1 the selling shop, ?2 the asked names (JSON). `wanted` is every resolved SKU and every kit's components.
const CTE = `WITH ${resolveSkusCte(POOL, "?2")},
sold AS (SELECT c.asked, c.sku, ps.unit, ps.factor, ps.min_qty, ps.increment, ps.components
  FROM canon c LEFT JOIN product_sales ps ON ps.shop_id = ${POOL} AND ps.sku = c.sku),
wanted(sku) AS (SELECT sku FROM sold UNION SELECT j.value ->> 'sku' FROM sold, json_each(sold.components) AS j WHERE sold.components IS NOT NULL)`;
/** Everything in one statement (one result row of JSON columns): a promise is one round trip after the shop. */
const SNAPSHOT = `${CTE} SELECT
  (SELECT json_object('pool_id', pool_id, 'warehouses', warehouses, 'buffer_units', buffer_units, 'buffer_percent', buffer_percent, 'cap', cap)
     FROM channels WHERE shop_id = ?1) AS channel,
  (SELECT warehouse_priority FROM shop_order_settings WHERE shop_id = ?1) AS priority,
  (SELECT json_group_array(json_object('code', code, 'name', name, 'lead_time_days', lead_time_days)) FROM warehouses WHERE shop_id = ${POOL}) AS leads,
  (SELECT json_group_array(json_object('asked', asked, 'sku', sku, 'unit', unit, 'factor', factor, 'min_qty', min_qty, 'increment', increment, 'components', components))
     FROM sold) AS sold,
  (SELECT json_group_array(json_object('sku', sku, 'backorder', backorder, 'safety_stock', safety_stock))
     FROM products WHERE shop_id = ${POOL} AND sku IN (SELECT sku FROM wanted)) AS products,
  (SELECT json_group_array(json_object('sku', sku, 'warehouse', warehouse, 'on_hand', on_hand, 'committed', committed, 'reserved', reserved, 'incoming', json(incoming)))
     FROM stock WHERE shop_id = ${POOL} AND sku IN (SELECT sku FROM wanted)) AS stock`;
const SnapshotRow = z.object({
  channel: z.string().nullable(),
  priority: z.string().nullable(),
  leads: z.string(),
  sold: z.string(),
  products: z.string(),
  stock: z.string(),
});
const rows = <T extends z.ZodTypeAny>(schema: T, json: string): z.infer<T>[] => z.array(schema).parse(JSON.parse(json));

export async function loadPromiseSnapshot(db: D1Database, shop: string, asked: readonly string[], today: string): Promise<PromiseSnapshot> {
  const names = JSON.stringify([...new Set(asked)]);
  const row = SnapshotRow.parse(await db.prepare(SNAPSHOT).bind(shop, names).first());
  const c = row.channel === null ? undefined : ChannelRow.parse(JSON.parse(row.channel));
  const channel: Channel = c
    ? { shop, pool: c.pool_id, warehouses: c.warehouses === null ? undefined : z.array(z.string()).parse(JSON.parse(c.warehouses)), limit: limitOf(c) }
    : { shop, pool: shop, warehouses: undefined, limit: undefined };
  const leadTimeDays: Record<string, number> = {};
  const warehouseNames = new Map<string, string>();
  for (const r of rows(LeadRow, row.leads)) {
    leadTimeDays[r.code] = r.lead_time_days ?? 0;
    warehouseNames.set(r.code, r.name);
  }
  const resolved = new Map<string, string>();
  const sales = new Map<string, ProductSales>();
  for (const raw of rows(z.unknown(), row.sold)) {
    const r = SalesRow.parse(raw);
    resolved.set(r.asked, r.sku);
    if (r.factor !== null) sales.set(r.sku, salesOf(raw));
  }
  const products = new Map<string, PromiseProduct & { stock: PromiseProduct["stock"][number][] }>();
  const entry = (sku: string) => {
    let p = products.get(sku);
    if (!p) {
      p = { backorder: false, safetyStock: 0, stock: [] };
      products.set(sku, p);
    }
    return p;
  };
  for (const r of rows(ProductRowDb, row.products)) {
    Object.assign(entry(r.sku), { backorder: r.backorder === 1, safetyStock: r.safety_stock });
  }
  for (const r of rows(StockRowDb, row.stock)) {
    if (channel.warehouses && !channel.warehouses.includes(r.warehouse)) continue;
    entry(r.sku).stock.push({
      warehouse: r.warehouse,
      onHand: r.on_hand,
      committed: r.committed,
      reserved: r.reserved,
      incoming: r.incoming,
    });
  }
  const known = new Set(products.keys());
  for (const [sku, s] of sales) if (s.components) Object.assign(entry(sku), { components: s.components });
  return {
    // The shop's warehouse priority (what orders/settings.ts stores), read here so db/ needs nothing from orders/.
    state: { today, priority: row.priority === null ? [] : rows(z.string(), row.priority), leadTimeDays, limit: channel.limit, products },
    resolved,
    sales,
    known,
    warehouseNames,
  };
}
