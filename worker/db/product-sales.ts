import { z } from "zod";
import { parseDecimal } from "../promise/quantity";
import { LOOSE, type ProductSales, type SalesRule } from "../promise/sales-unit";
import { poolOf } from "./channels";

/**
 * How products are sold (migration 0016 `product_sales`, issue 12): kits' components, sales units and
 * quantity rules, read by the promise, the reservation and the availability.
 */

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
  // kit_components (migration 0025) is kept by triggers on product_sales: one index search per SKU.
  const { results } = await db
    .prepare(
      `SELECT DISTINCT kit FROM kit_components
       WHERE shop_id = ${poolOf("?1")} AND component IN (SELECT value FROM json_each(?2))`,
    )
    .bind(shop, JSON.stringify(skus))
    .all();
  return results.map((r) => z.object({ kit: z.string() }).parse(r).kit);
}
