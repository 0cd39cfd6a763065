import { z } from "zod";
import type { AvailabilityItem } from "../contract";
import { availability, type WarehouseStock } from "../domain/availability";
import type { ChannelLimit } from "../domain/channel-limit";
import { limitOf } from "./channels";
import { Incoming } from "./rows";
import type { ProductSales } from "../promise/sales-unit";
import { salesOf } from "./product-sales";
import { inSalesUnits } from "./sales-availability";
import { resolveSkusCte } from "./sku-resolution";

/**
 * One query answers a whole page: each asked SKU is resolved (a real SKU first, then an alias, then
 * a GTIN) and joined with its product rules, how it sells (`product_sales`) and per-warehouse stock,
 * so a cold availability read is one call into the pool's object. `?1` is the selling shop: the
 * rows come from its stock pool, only from the warehouses its channel rules allow.
 */
const SQL = `
WITH ch AS (
  SELECT COALESCE(c.pool_id, ?1) AS pool, c.warehouses AS allowed, c.buffer_units, c.buffer_percent, c.cap
  FROM (SELECT 1) LEFT JOIN channels c ON c.shop_id = ?1
),
${resolveSkusCte("(SELECT pool FROM ch)", "?2")}
SELECT c.asked, c.sku, p.sku IS NOT NULL AS known, p.backorder, p.safety_stock,
       s.warehouse, w.name AS warehouse_name, s.on_hand, s.committed, s.reserved, s.incoming, s.updated_at,
       ch.buffer_units, ch.buffer_percent, ch.cap,
       ps.sku AS sales_sku, ps.unit AS sales_unit, ps.factor AS sales_factor, ps.min_qty AS sales_min_qty,
       ps.increment AS sales_increment, ps.components AS sales_components
FROM canon c CROSS JOIN ch
LEFT JOIN products p ON p.shop_id = ch.pool AND p.sku = c.sku
LEFT JOIN product_sales ps ON ps.shop_id = ch.pool AND ps.sku = c.sku
LEFT JOIN stock s ON s.shop_id = ch.pool AND s.sku = c.sku AND (ch.allowed IS NULL OR s.warehouse IN (SELECT value FROM json_each(ch.allowed)))
LEFT JOIN warehouses w ON w.shop_id = ch.pool AND w.code = s.warehouse
ORDER BY c.asked, s.warehouse`;

const Row = z.object({
  asked: z.string(),
  sku: z.string(),
  known: z.number(),
  backorder: z.number().nullable(),
  safety_stock: z.number().nullable(),
  warehouse: z.string().nullable(),
  warehouse_name: z.string().nullable(),
  on_hand: z.number().nullable(),
  committed: z.number().nullable(),
  reserved: z.number().nullable(),
  incoming: z.string().nullable(),
  updated_at: z.number().nullable(),
  buffer_units: z.number().nullable(),
  buffer_percent: z.number().nullable(),
  cap: z.number().nullable(),
  sales_sku: z.string().nullable(),
  sales_unit: z.string().nullable(),
  sales_factor: z.string().nullable(),
  sales_min_qty: z.string().nullable(),
  sales_increment: z.string().nullable(),
  sales_components: z.string().nullable(),
});

export interface SkuStock {
  asked: string;
  sku: string;
  backorder: boolean;
  safetyStock: number;
  warehouses: WarehouseStock[];
  /** The selling channel's buffer and cap, when it has any. */
  channel?: ChannelLimit;
  /** Its sales unit, quantity rule or kit components (issue 12); undefined for a plain product. */
  sales?: ProductSales;
}

/** Loads the stock of the asked SKUs as `shop` may sell it; SKUs the edge has never heard of are left out. */
export async function loadSkuStock(db: D1Database, shop: string, skus: readonly string[]): Promise<SkuStock[]> {
  const { results } = await db.prepare(SQL).bind(shop, JSON.stringify(skus)).all();
  const bySku = new Map<string, SkuStock>();
  for (const raw of results) {
    const r = Row.parse(raw);
    let entry = bySku.get(r.asked);
    if (!entry) {
      if (!r.known && r.warehouse === null) continue;
      const channel = limitOf(r);
      const sales =
        r.sales_sku === null
          ? undefined
          : salesOf({
              sku: r.sales_sku,
              unit: r.sales_unit,
              factor: r.sales_factor,
              min_qty: r.sales_min_qty,
              increment: r.sales_increment,
              components: r.sales_components,
            });
      entry = {
        asked: r.asked,
        sku: r.sku,
        backorder: r.backorder === 1,
        safetyStock: r.safety_stock ?? 0,
        warehouses: [],
        ...(channel ? { channel } : {}),
        ...(sales ? { sales } : {}),
      };
      bySku.set(r.asked, entry);
    }
    if (r.warehouse !== null) {
      entry.warehouses.push({
        code: r.warehouse,
        name: r.warehouse_name ?? r.warehouse,
        onHand: r.on_hand ?? 0,
        committed: r.committed ?? 0,
        reserved: r.reserved ?? 0,
        incoming: Incoming.parse(JSON.parse(r.incoming ?? "[]")),
        updatedAt: r.updated_at ?? 0,
      });
    }
  }
  return [...bySku.values()];
}

/** The public availability of the asked SKUs the edge knows. */
export async function loadAvailability(
  db: D1Database,
  shop: string,
  skus: readonly string[],
  lowStockThreshold: number,
  now: Date,
): Promise<AvailabilityItem[]> {
  const today = now.toISOString().slice(0, 10);
  const stock = await loadSkuStock(db, shop, skus);
  const items = stock.map((s) => ({
    sku: s.sku,
    sales: s.sales,
    item: availability(s.asked, s.warehouses, { backorder: s.backorder, safetyStock: s.safetyStock, lowStockThreshold, channel: s.channel }, today),
  }));
  // Issue 12: case packs in cases, kits in what their components make (sales-availability.ts).
  return inSalesUnits(db, shop, items, lowStockThreshold, today);
}
