-- Data quality and demand forecasting for staff (issue 15).

-- The shop platform's catalogue as last read (Shopify productVariants, WooCommerce products and
-- variations), one row per variant (or simple product). Refreshed page by page; rows not seen by a
-- finished read are dropped at its end.
CREATE TABLE platform_catalogue (
  shop_id TEXT NOT NULL,
  variant_id TEXT NOT NULL,              -- the platform's id (a string: ids exceed 2^53)
  product_id TEXT NOT NULL,
  sku TEXT,                              -- NULL when the variant has none
  title TEXT NOT NULL,
  barcode TEXT,
  price TEXT,                            -- decimal string, as the platform shows it
  read_id TEXT NOT NULL,                 -- the read that last saw it
  PRIMARY KEY (shop_id, variant_id)
) WITHOUT ROWID;
CREATE INDEX platform_catalogue_sku ON platform_catalogue (shop_id, sku);

-- Where the catalogue read stands: a cursor while a read is under way, the last finished read.
CREATE TABLE platform_catalogue_reads (
  shop_id TEXT PRIMARY KEY,
  read_id TEXT NOT NULL,
  cursor TEXT,                           -- the platform's next page; NULL once finished
  pages INTEGER NOT NULL DEFAULT 0,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  error TEXT
);

-- SKU aliases staff accepted from a suggested match: kept apart from the ERP's own aliases, which
-- each product push replaces. Resolution (worker/db/sku-resolution.ts) reads both.
CREATE TABLE staff_sku_aliases (
  shop_id TEXT NOT NULL,                 -- the pool (root shop), like sku_aliases
  alias TEXT NOT NULL,
  sku TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (shop_id, alias)
) WITHOUT ROWID;

-- Demand per order line and warehouse, as each shop order last stood (replaced when the order
-- changes, removed when it is cancelled), plus imported ERP sales history; days are UTC dates.
-- Daily demand is the sum over both by (pool, sku, warehouse, day).
CREATE TABLE demand_lines (
  pool_id TEXT NOT NULL,
  source TEXT NOT NULL,                  -- 'order:<shop>:<orderRef>' or 'import'
  line TEXT NOT NULL,                    -- the order's line id, or the imported row's day
  sku TEXT NOT NULL,
  warehouse TEXT NOT NULL,               -- '' when the order took no stock in a warehouse
  day TEXT NOT NULL,
  qty INTEGER NOT NULL,
  PRIMARY KEY (pool_id, source, line, sku, warehouse)
) WITHOUT ROWID;
CREATE INDEX demand_lines_series ON demand_lines (pool_id, sku, warehouse, day);

-- How far the demand job has read shop orders (one cursor for all shops: updated_at, then key).
CREATE TABLE demand_cursor (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  updated_at INTEGER NOT NULL,
  shop_id TEXT NOT NULL,
  order_ref TEXT NOT NULL
);
CREATE INDEX shop_orders_updated ON shop_orders (updated_at, shop_id, order_ref);

-- The newest forecast and reorder suggestion per SKU × warehouse of a pool.
CREATE TABLE forecasts (
  pool_id TEXT NOT NULL,
  sku TEXT NOT NULL,
  warehouse TEXT NOT NULL,
  class TEXT NOT NULL,                   -- regular | intermittent | none
  method TEXT NOT NULL,
  weekly TEXT NOT NULL,                  -- JSON: 12 weekly means from the week after computed_at
  history TEXT NOT NULL,                 -- JSON: the last 12 weeks' demand
  available INTEGER NOT NULL,
  cover_days REAL,                       -- NULL when no demand is expected
  reorder_point INTEGER NOT NULL,
  suggested_qty INTEGER NOT NULL,
  reorder_now INTEGER NOT NULL,
  peak_week INTEGER NOT NULL,
  computed_at INTEGER NOT NULL,
  alerted_at INTEGER,                    -- when stock.low was last sent for this row
  PRIMARY KEY (pool_id, sku, warehouse)
) WITHOUT ROWID;
CREATE INDEX forecasts_reorder ON forecasts (pool_id, reorder_now, cover_days);

-- Where the forecast cron stands: the pool and key it continues after.
CREATE TABLE forecast_cursor (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  pool_id TEXT NOT NULL,
  sku TEXT NOT NULL,
  warehouse TEXT NOT NULL
);

-- A customer's VAT id and postal address (one line), optional in the customers push: duplicate
-- customers are found by them too.
ALTER TABLE customers ADD COLUMN vat_id TEXT;
ALTER TABLE customers ADD COLUMN address TEXT;
