import type { ProductRow } from "../contract";
import { type ChunkRow, chunkSteps } from "./chunks";
import { latestPerSku } from "./latest";
import type { Step } from "./plan";

/** Kits' components, sales units and quantity rules (migration 0016 `product_sales`, issue 12), written with their product row. */

// Both run before the product upsert, so "not outranked" compares with the version stored before the push.
const NOT_OUTRANKED = "NOT EXISTS (SELECT 1 FROM products p WHERE p.shop_id = ?1 AND p.sku = c.value ->> 0 AND p.version > c.value ->> 1)";
// A shop with no such rows (most) skips the clear at once: the EXISTS names no row of the chunk, so
// SQLite tests it once before reading the chunk (13 ms → 1 ms for 10,000 plain products, measured in plain SQLite).
const CLEAR = `DELETE FROM product_sales WHERE shop_id = ?1 AND sku IN (SELECT c.value ->> 0 FROM json_each(?2) AS c
  WHERE EXISTS (SELECT 1 FROM product_sales WHERE shop_id = ?1) AND ${NOT_OUTRANKED})`;
const WRITE = `INSERT INTO product_sales (shop_id, sku, unit, factor, min_qty, increment, components, version)
SELECT ?1, c.value ->> 0, c.value ->> 2, c.value ->> 3, c.value ->> 4, c.value ->> 5, c.value ->> 6, c.value ->> 1
FROM json_each(?2) AS c WHERE ${NOT_OUTRANKED}
ON CONFLICT (shop_id, sku) DO UPDATE SET unit = excluded.unit, factor = excluded.factor, min_qty = excluded.min_qty,
  increment = excluded.increment, components = excluded.components, version = excluded.version`;

/**
 * Steps for a product push: per SKU, the row that ends up stored (the last one not below an earlier
 * row's version) replaces what was stored about how it sells; a row without components, unit or rule
 * makes it a plain product again.
 */
export function productSalesSteps(db: D1Database, shop: string, rows: ReadonlyArray<{ index: number; row: ProductRow }>): Step[] {
  const latest = latestPerSku(rows);
  const all = rows.filter((_, i) => latest[i]);
  const sells = ({ row }: { row: ProductRow }) => Boolean(row.components || row.salesUnit || row.quantityRule);
  // A row that says how it sells replaces the stored one whole (the upsert sets every column); the others clear it.
  const clearRows: ChunkRow[] = all.filter((r) => !sells(r)).map(({ index, row }) => ({ index, values: [row.sku, row.version] }));
  const writeRows: ChunkRow[] = all.filter(sells).map(({ index, row }) => ({
    index,
    values: [
      row.sku,
      row.version,
      row.salesUnit?.name ?? null,
      row.salesUnit?.factor ?? "1",
      row.quantityRule?.min ?? row.quantityRule?.increment ?? "1",
      row.quantityRule?.increment ?? "1",
      row.components ?? null,
    ],
  }));
  const clear = db.prepare(CLEAR);
  const write = db.prepare(WRITE);
  return [...chunkSteps(clearRows, (json) => clear.bind(shop, json)), ...chunkSteps(writeRows, (json) => write.bind(shop, json))].map(({ stmt }) => ({ stmt }));
}
