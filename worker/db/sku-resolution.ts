/**
 * SQL common table expressions that resolve what a page asked for into the ERP's SKUs: a real SKU
 * first, then an alias, then a GTIN. Yields `canon(asked, sku)`; `shop` and `skusJson` name the
 * statement's parameters (e.g. "?1", "?2"), the latter a JSON array of strings.
 */
export const resolveSkusCte = (shop: string, skusJson: string): string => `
asked(v) AS (SELECT DISTINCT value FROM json_each(${skusJson})),
canon(asked, sku) AS (
  SELECT v, COALESCE(
    (SELECT sku FROM products WHERE shop_id = ${shop} AND sku = v),
    (SELECT sku FROM sku_aliases WHERE shop_id = ${shop} AND alias = v),
    (SELECT sku FROM products WHERE shop_id = ${shop} AND gtin = v ORDER BY sku LIMIT 1),
    v)
  FROM asked
)`;
