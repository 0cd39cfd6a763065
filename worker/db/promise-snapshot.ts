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

/** The shop's warehouse priority (what orders/settings.ts stores), read here so db/ needs nothing from orders/. */
const priorityOf = (res: D1Result | undefined): string[] => {
  const raw = res?.results[0];
  return raw ? z.array(z.string()).parse(JSON.parse(z.object({ warehouse_priority: z.string() }).parse(raw).warehouse_priority)) : [];
};

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
const StockRowDb = z.object({ sku: z.string(), warehouse: z.string(), on_hand: z.number(), committed: z.number(), reserved: z.number(), incoming: z.string() });

// ?1 the selling shop, ?2 the asked names (JSON). `wanted` is every resolved SKU and every kit's components.
const CTE = `WITH ${resolveSkusCte(poolOf("?1"), "?2")},
sold AS (SELECT c.asked, c.sku, ps.unit, ps.factor, ps.min_qty, ps.increment, ps.components
  FROM canon c LEFT JOIN product_sales ps ON ps.shop_id = ${poolOf("?1")} AND ps.sku = c.sku),
wanted(sku) AS (SELECT sku FROM sold UNION SELECT j.value ->> 'sku' FROM sold, json_each(sold.components) AS j WHERE sold.components IS NOT NULL)`;
const RESOLVE = `${CTE} SELECT * FROM sold`;
const PRODUCTS = `${CTE} SELECT sku, backorder, safety_stock FROM products WHERE shop_id = ${poolOf("?1")} AND sku IN (SELECT sku FROM wanted)`;
const STOCK = `${CTE} SELECT sku, warehouse, on_hand, committed, reserved, incoming FROM stock WHERE shop_id = ${poolOf("?1")} AND sku IN (SELECT sku FROM wanted)`;

export async function loadPromiseSnapshot(db: D1Database, shop: string, asked: readonly string[], today: string): Promise<PromiseSnapshot> {
  const names = JSON.stringify([...new Set(asked)]);
  // One round trip: every statement resolves the same names (see CTE).
  const [channelRes, priorityRes, leadRes, salesRes, productRes, stockRes] = await db.batch([
    db.prepare("SELECT pool_id, warehouses, buffer_units, buffer_percent, cap FROM channels WHERE shop_id = ?").bind(shop),
    db.prepare("SELECT warehouse_priority FROM shop_order_settings WHERE shop_id = ?").bind(shop),
    db.prepare(`SELECT code, name, lead_time_days FROM warehouses WHERE shop_id = ${poolOf("?1")}`).bind(shop),
    db.prepare(RESOLVE).bind(shop, names),
    db.prepare(PRODUCTS).bind(shop, names),
    db.prepare(STOCK).bind(shop, names),
  ]);
  const c = channelRes?.results[0] ? ChannelRow.parse(channelRes.results[0]) : undefined;
  const channel: Channel = c
    ? { shop, pool: c.pool_id, warehouses: c.warehouses === null ? undefined : z.array(z.string()).parse(JSON.parse(c.warehouses)), limit: limitOf(c) }
    : { shop, pool: shop, warehouses: undefined, limit: undefined };
  const leadTimeDays: Record<string, number> = {};
  const warehouseNames = new Map<string, string>();
  for (const raw of leadRes?.results ?? []) {
    const r = LeadRow.parse(raw);
    leadTimeDays[r.code] = r.lead_time_days ?? 0;
    warehouseNames.set(r.code, r.name);
  }
  const resolved = new Map<string, string>();
  const sales = new Map<string, ProductSales>();
  for (const raw of salesRes?.results ?? []) {
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
  for (const raw of productRes?.results ?? []) {
    const r = ProductRowDb.parse(raw);
    Object.assign(entry(r.sku), { backorder: r.backorder === 1, safetyStock: r.safety_stock });
  }
  for (const raw of stockRes?.results ?? []) {
    const r = StockRowDb.parse(raw);
    if (channel.warehouses && !channel.warehouses.includes(r.warehouse)) continue;
    entry(r.sku).stock.push({
      warehouse: r.warehouse,
      onHand: r.on_hand,
      committed: r.committed,
      reserved: r.reserved,
      incoming: Incoming.parse(JSON.parse(r.incoming)),
    });
  }
  const known = new Set(products.keys());
  for (const [sku, s] of sales) if (s.components) Object.assign(entry(sku), { components: s.components });
  return {
    state: { today, priority: priorityOf(priorityRes), leadTimeDays, limit: channel.limit, products },
    resolved,
    sales,
    known,
    warehouseNames,
  };
}
