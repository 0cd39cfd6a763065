import type { ProductRow } from "../contract";
import type { Plan, Step } from "./plan";

export function planProducts(db: D1Database, shop: string, rows: ReadonlyArray<{ index: number; row: ProductRow }>, now: number): Plan {
  const upsert = db.prepare(
    `INSERT INTO products (shop_id, sku, name, gtin, cost, landed_cost, currency, backorder, safety_stock, version, updated_at, erp_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (shop_id, sku) DO UPDATE SET name = excluded.name, gtin = excluded.gtin, cost = excluded.cost, landed_cost = excluded.landed_cost,
       currency = excluded.currency, backorder = excluded.backorder, safety_stock = excluded.safety_stock,
       version = excluded.version, updated_at = excluded.updated_at, erp_id = excluded.erp_id
     WHERE excluded.version > products.version`,
  );
  // Aliases follow the product row only when this push's version is the one now stored.
  const clearAliases = db.prepare(
    "DELETE FROM sku_aliases WHERE shop_id = ?1 AND sku = ?2 AND EXISTS (SELECT 1 FROM products WHERE shop_id = ?1 AND sku = ?2 AND version = ?3)",
  );
  const addAlias = db.prepare(
    `INSERT INTO sku_aliases (shop_id, alias, sku) SELECT ?1, ?2, ?3 WHERE ?2 <> ?3
       AND EXISTS (SELECT 1 FROM products WHERE shop_id = ?1 AND sku = ?3 AND version = ?4)
     ON CONFLICT (shop_id, alias) DO UPDATE SET sku = excluded.sku`,
  );
  const steps: Step[] = [];
  for (const { index, row } of rows) {
    steps.push({
      row: index,
      stmt: upsert.bind(
        shop,
        row.sku,
        row.name,
        row.gtin ?? null,
        row.cost ?? null,
        row.landedCost ?? null,
        row.currency ?? null,
        row.backorder ? 1 : 0,
        row.safetyStock ?? 0,
        row.version,
        now,
        row.erpId ?? null,
      ),
    });
    if (row.aliases) {
      steps.push({ stmt: clearAliases.bind(shop, row.sku, row.version) });
      for (const alias of row.aliases) steps.push({ stmt: addAlias.bind(shop, alias, row.sku, row.version) });
    }
  }
  return { steps, rejected: [], touchedSkus: rows.map((r) => r.row.sku) };
}
