import { z } from "zod";
import { poolOf } from "./channels";

const Hit = z.object({ sku: z.string(), name: z.string(), gtin: z.string().nullable() });
export type SearchHit = z.infer<typeof Hit>;

/**
 * Products whose barcode is exactly `q`, or whose SKU or name contains it (any case), exact matches
 * first, at most `limit`. A LIKE over the shop's products: fine for the tens of thousands a shop has.
 */
export async function searchProducts(db: D1Database, shop: string, q: string, limit: number): Promise<SearchHit[]> {
  const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const { results } = await db
    .prepare(
      `SELECT sku, name, gtin FROM products WHERE shop_id = ${poolOf("?1")} AND (gtin = ?2 OR sku = ?2 COLLATE NOCASE OR sku LIKE ?3 ESCAPE '\\' OR name LIKE ?3 ESCAPE '\\')
       ORDER BY (gtin = ?2 OR sku = ?2 COLLATE NOCASE) DESC, sku LIMIT ?4`,
    )
    .bind(shop, q, like, limit)
    .all();
  return results.map((r) => Hit.parse(r));
}
