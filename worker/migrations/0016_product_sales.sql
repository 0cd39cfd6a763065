-- How a product is sold (issue 12): its sales unit and quantity rules, and, for a kit or bundle, the
-- components one unit of it takes. One row per pool SKU that has any of these; a product without a row
-- sells loose stock units from 1 up, as before. Written with the product row it came with (same version).
CREATE TABLE product_sales (
  shop_id TEXT NOT NULL,
  sku TEXT NOT NULL,
  unit TEXT,                 -- the sales unit's name ("case", "kg"); NULL: the stock unit
  factor TEXT NOT NULL,      -- decimal string: stock units in one sales unit
  min_qty TEXT NOT NULL,     -- decimal string, in the sales unit
  increment TEXT NOT NULL,   -- decimal string, in the sales unit (the pack size)
  components TEXT,           -- JSON [{ sku, qty }] (qty: stock units of the component per unit), NULL: not a kit
  version INTEGER NOT NULL,
  PRIMARY KEY (shop_id, sku)
) WITHOUT ROWID;
