import { z } from "zod";
import type { ProductRow } from "../contract";
import { poolOf } from "../db/channels";
import { type ChunkRow, chunkSteps } from "../ingest/chunks";
import type { Step } from "../ingest/plan";
import { parseDecimal } from "./quantity";
import { LOOSE, type SalesRule } from "./sales-unit";

/**
 * How products are sold (migration 0016 `product_sales`): kits' components, sales units and quantity
 * rules, written with the product row that carries them and read by the promise and the reservation.
 */

export interface ProductSales {
  rule: SalesRule;
  /** Present for a kit or bundle. */
  components?: Array<{ sku: string; qty: number }>;
}

// Both run before the product upsert, so "not outranked" compares with the version stored before the push.
const NOT_OUTRANKED = "NOT EXISTS (SELECT 1 FROM products p WHERE p.shop_id = ?1 AND p.sku = c.value ->> 0 AND p.version > c.value ->> 1)";
const CLEAR = `DELETE FROM product_sales WHERE shop_id = ?1 AND sku IN (SELECT c.value ->> 0 FROM json_each(?2) AS c WHERE ${NOT_OUTRANKED})`;
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
  const highest = new Map<string, number>();
  const chosen = new Map<string, { index: number; row: ProductRow }>();
  for (const r of rows) {
    const before = highest.get(r.row.sku) ?? Number.NEGATIVE_INFINITY;
    if (r.row.version >= before) {
      chosen.delete(r.row.sku);
      chosen.set(r.row.sku, r);
    }
    highest.set(r.row.sku, Math.max(before, r.row.version));
  }
  const all = [...chosen.values()].sort((a, b) => a.index - b.index);
  const clearRows: ChunkRow[] = all.map(({ index, row }) => ({ index, values: [row.sku, row.version] }));
  const writeRows: ChunkRow[] = all
    .filter(({ row }) => row.components || row.salesUnit || row.quantityRule)
    .map(({ index, row }) => ({
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

const Row = z.object({
  sku: z.string(),
  unit: z.string().nullable(),
  factor: z.string(),
  min_qty: z.string(),
  increment: z.string(),
  components: z.string().nullable(),
});
const Components = z.array(z.object({ sku: z.string(), qty: z.number().int().positive() }));

const decimal = (text: string) => parseDecimal(text) ?? LOOSE.factor;

export function salesOf(raw: unknown): ProductSales {
  const r = Row.parse(raw);
  const rule: SalesRule = { unit: r.unit ?? undefined, factor: decimal(r.factor), min: decimal(r.min_qty), increment: decimal(r.increment) };
  return r.components === null ? { rule } : { rule, components: Components.parse(JSON.parse(r.components)) };
}

/** How the given SKUs of `shop`'s pool sell, as a statement for the caller's batch (read it with parseProductSales). */
export const productSalesQuery = (db: D1Database, shop: string, skus: readonly string[]): D1PreparedStatement =>
  db
    .prepare(
      `SELECT sku, unit, factor, min_qty, increment, components FROM product_sales
       WHERE shop_id = ${poolOf("?1")} AND sku IN (SELECT value FROM json_each(?2))`,
    )
    .bind(shop, JSON.stringify([...new Set(skus)]));

/** SKU → how it sells; SKUs without a row are plain (not in the map). */
export function parseProductSales(result: D1Result | undefined): Map<string, ProductSales> {
  const out = new Map<string, ProductSales>();
  for (const raw of result?.results ?? []) out.set(Row.parse(raw).sku, salesOf(raw));
  return out;
}

export const loadProductSales = async (db: D1Database, shop: string, skus: readonly string[]): Promise<Map<string, ProductSales>> =>
  parseProductSales(await productSalesQuery(db, shop, skus).all());

/** The kits of `shop`'s pool that take any of `skus` as a component (their availability follows the components'). */
export async function kitsContaining(db: D1Database, shop: string, skus: readonly string[]): Promise<string[]> {
  if (skus.length === 0) return [];
  const { results } = await db
    .prepare(
      `SELECT DISTINCT ps.sku FROM product_sales ps, json_each(ps.components) AS j
       WHERE ps.shop_id = ${poolOf("?1")} AND ps.components IS NOT NULL AND j.value ->> 'sku' IN (SELECT value FROM json_each(?2))`,
    )
    .bind(shop, JSON.stringify(skus))
    .all();
  return results.map((r) => z.object({ sku: z.string() }).parse(r).sku);
}
