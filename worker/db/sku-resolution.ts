/**
 * SQL common table expressions that resolve what a page asked for into the ERP's SKUs: a real SKU
 * first, then an alias (the ERP's, then one staff accepted from a suggested match), then a GTIN. Yields `canon(asked, sku)`; `shop` and `skusJson` name the
 * statement's parameters (e.g. "?1", "?2"), the latter a JSON array of strings.
 *
 * GTINs compare as GTIN-14: a digit string of 8–14 digits on either side is left-padded with zeros
 * (so "96385074", "036000291452", "36000291452" and "00036000291452" all find their product). The
 * expression on the column is the one migration 0008 indexes; `INDEXED BY` holds the planner to that
 * index (without statistics it read the whole shop's products for every unknown name), and
 * `MATERIALIZED` resolves each name once however often the caller joins `canon`.
 */
export const resolveSkusCte = (shop: string, skusJson: string): string => `
asked(v) AS (SELECT DISTINCT value FROM json_each(${skusJson})),
canon(asked, sku) AS MATERIALIZED (
  SELECT v, COALESCE(
    (SELECT sku FROM products WHERE shop_id = ${shop} AND sku = v),
    (SELECT sku FROM sku_aliases WHERE shop_id = ${shop} AND alias = v),
    (SELECT sku FROM staff_sku_aliases WHERE shop_id = ${shop} AND alias = v),
    (SELECT MIN(sku) FROM products INDEXED BY products_gtin14 WHERE shop_id = ${shop} AND gtin IS NOT NULL
       AND substr('00000000000000' || gtin, -14) = ${gtin14("v")}),
    v)
  FROM asked
)`;

/** SQL: the GTIN-14 form of `expr` when it is 8–14 digits, else NULL (which matches nothing). */
const gtin14 = (expr: string): string =>
  `(CASE WHEN length(${expr}) BETWEEN 8 AND 14 AND ${expr} NOT GLOB '*[^0-9]*' THEN substr('00000000000000' || ${expr}, -14) END)`;
