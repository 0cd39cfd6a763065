import { z } from "zod";
import type { AvailabilityItem } from "../contract";
import { availability, type WarehouseStock } from "../domain/availability";
import { Incoming } from "./rows";
import { resolveSkusCte } from "./sku-resolution";

/**
 * One query answers a whole page: each asked SKU is resolved (a real SKU first, then an alias, then
 * a GTIN) and joined with its product rules and per-warehouse stock.
 */
const SQL = `
WITH ${resolveSkusCte("?1", "?2")}
SELECT c.asked, c.sku, p.sku IS NOT NULL AS known, p.backorder, p.safety_stock,
       s.warehouse, w.name AS warehouse_name, s.on_hand, s.committed, s.reserved, s.incoming, s.updated_at
FROM canon c
LEFT JOIN products p ON p.shop_id = ?1 AND p.sku = c.sku
LEFT JOIN stock s ON s.shop_id = ?1 AND s.sku = c.sku
LEFT JOIN warehouses w ON w.shop_id = ?1 AND w.code = s.warehouse
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
});

export interface SkuStock {
  asked: string;
  sku: string;
  backorder: boolean;
  safetyStock: number;
  warehouses: WarehouseStock[];
}

/** Loads the stock of the asked SKUs; SKUs the edge has never heard of are left out. */
export async function loadSkuStock(db: D1Database, shop: string, skus: readonly string[]): Promise<SkuStock[]> {
  const { results } = await db.prepare(SQL).bind(shop, JSON.stringify(skus)).all();
  const bySku = new Map<string, SkuStock>();
  for (const raw of results) {
    const r = Row.parse(raw);
    let entry = bySku.get(r.asked);
    if (!entry) {
      if (!r.known && r.warehouse === null) continue;
      entry = { asked: r.asked, sku: r.sku, backorder: r.backorder === 1, safetyStock: r.safety_stock ?? 0, warehouses: [] };
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
  return stock.map((s) => availability(s.asked, s.warehouses, { backorder: s.backorder, safetyStock: s.safetyStock, lowStockThreshold }, today));
}
