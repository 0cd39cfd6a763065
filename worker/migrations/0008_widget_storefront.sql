-- The widget on real storefronts (issue 11).
-- A page may print a product's barcode as GTIN-8, UPC-12, EAN-13 or GTIN-14 (or a UPC without its
-- leading zero); the ERP may have stored any of them. Both sides are compared as GTIN-14, left-padded
-- with zeros; this index answers that comparison (the expression must match sku-resolution.ts).
CREATE INDEX products_gtin14 ON products (shop_id, substr('00000000000000' || gtin, -14)) WHERE gtin IS NOT NULL;
