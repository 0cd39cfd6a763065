-- The edge replica. Every ERP-owned row carries the ERP's `version`; upserts only win with a
-- strictly higher version, so duplicate and out-of-order deliveries are harmless.

CREATE TABLE shops (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  platform TEXT NOT NULL,
  origins TEXT NOT NULL,                 -- JSON array of allowed storefront origins
  currency TEXT NOT NULL,
  locale TEXT NOT NULL,
  low_stock_threshold INTEGER NOT NULL DEFAULT 5,
  erp_secret_enc TEXT NOT NULL,          -- AES-GCM with BACKROOM_MASTER_KEY
  customer_secret_enc TEXT NOT NULL,     -- AES-GCM with BACKROOM_MASTER_KEY
  platform_secret_enc TEXT,              -- AES-GCM with BACKROOM_MASTER_KEY
  staff_key_hash TEXT NOT NULL,          -- hex SHA-256 of the staff key; the key itself is never stored
  created_at INTEGER NOT NULL
);

-- Standard Webhooks `webhook-id`s already applied, per shop.
CREATE TABLE webhook_receipts (
  shop_id TEXT NOT NULL,
  source TEXT NOT NULL,
  id TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (shop_id, source, id)
) WITHOUT ROWID;

CREATE TABLE warehouses (
  shop_id TEXT NOT NULL,
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  country TEXT,
  lead_time_days INTEGER,
  PRIMARY KEY (shop_id, code)
) WITHOUT ROWID;

CREATE TABLE products (
  shop_id TEXT NOT NULL,
  sku TEXT NOT NULL,
  name TEXT NOT NULL,
  gtin TEXT,
  cost TEXT,                             -- decimal string, never a float
  currency TEXT,
  backorder INTEGER NOT NULL DEFAULT 0,
  safety_stock INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (shop_id, sku)
) WITHOUT ROWID;
CREATE INDEX products_gtin ON products (shop_id, gtin) WHERE gtin IS NOT NULL;

CREATE TABLE sku_aliases (
  shop_id TEXT NOT NULL,
  alias TEXT NOT NULL,
  sku TEXT NOT NULL,
  PRIMARY KEY (shop_id, alias)
) WITHOUT ROWID;

CREATE TABLE stock (
  shop_id TEXT NOT NULL,
  sku TEXT NOT NULL,
  warehouse TEXT NOT NULL,
  on_hand INTEGER NOT NULL,
  committed INTEGER NOT NULL DEFAULT 0,
  reserved INTEGER NOT NULL DEFAULT 0,   -- taken at the edge by shop orders the ERP has not confirmed
  incoming TEXT NOT NULL DEFAULT '[]',   -- JSON [{ qty, eta, ref? }]
  version INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (shop_id, sku, warehouse)
) WITHOUT ROWID;

-- What staff see as "recent changes": written by SQLite itself, so ingest stays one statement a row.
CREATE TABLE stock_history (
  shop_id TEXT NOT NULL,
  sku TEXT NOT NULL,
  warehouse TEXT NOT NULL,
  on_hand INTEGER NOT NULL,
  committed INTEGER NOT NULL,
  reserved INTEGER NOT NULL,
  version INTEGER NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX stock_history_sku ON stock_history (shop_id, sku, at);
CREATE TRIGGER stock_history_insert AFTER INSERT ON stock BEGIN
  INSERT INTO stock_history VALUES (NEW.shop_id, NEW.sku, NEW.warehouse, NEW.on_hand, NEW.committed, NEW.reserved, NEW.version, NEW.updated_at);
END;
CREATE TRIGGER stock_history_update AFTER UPDATE OF on_hand, committed, version ON stock BEGIN
  INSERT INTO stock_history VALUES (NEW.shop_id, NEW.sku, NEW.warehouse, NEW.on_hand, NEW.committed, NEW.reserved, NEW.version, NEW.updated_at);
END;

CREATE TABLE price_lists (
  shop_id TEXT NOT NULL,
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  currency TEXT NOT NULL,
  PRIMARY KEY (shop_id, id)
) WITHOUT ROWID;

CREATE TABLE prices (
  shop_id TEXT NOT NULL,
  list TEXT NOT NULL,
  sku TEXT NOT NULL,
  min_qty INTEGER NOT NULL,
  unit_price TEXT NOT NULL,              -- decimal string
  version INTEGER NOT NULL,
  PRIMARY KEY (shop_id, list, sku, min_qty)
) WITHOUT ROWID;
CREATE INDEX prices_sku ON prices (shop_id, sku);

CREATE TABLE customers (
  shop_id TEXT NOT NULL,
  id TEXT NOT NULL,
  email TEXT,
  company TEXT NOT NULL,
  price_list TEXT NOT NULL,
  payment_terms TEXT,
  credit_limit TEXT,
  balance TEXT,
  version INTEGER NOT NULL,
  PRIMARY KEY (shop_id, id)
) WITHOUT ROWID;

CREATE TABLE orders (
  shop_id TEXT NOT NULL,
  order_ref TEXT NOT NULL,               -- the platform's order id, as a string (ids exceed 2^53)
  order_number TEXT,
  email TEXT,                            -- lower-cased
  erp_ref TEXT,
  status TEXT NOT NULL,
  shipments TEXT NOT NULL DEFAULT '[]',  -- JSON [{ carrier, trackingNumber, trackingUrl?, shippedAt?, items? }]
  at INTEGER NOT NULL,                   -- when the current status was reached (ms)
  version INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (shop_id, order_ref)
) WITHOUT ROWID;
CREATE INDEX orders_number ON orders (shop_id, order_number);

-- One row per status an order has reached: the customer's timeline.
CREATE TABLE order_timeline (
  shop_id TEXT NOT NULL,
  order_ref TEXT NOT NULL,
  status TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (shop_id, order_ref, status)
) WITHOUT ROWID;

-- One row per ERP push: what staff see as "last sync".
CREATE TABLE sync_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  shop_id TEXT NOT NULL,
  resource TEXT NOT NULL,
  webhook_id TEXT NOT NULL,
  applied INTEGER NOT NULL,
  stale INTEGER NOT NULL,
  rejected INTEGER NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX sync_log_shop ON sync_log (shop_id, resource, at);

-- Fixed-window counters for rate-limited public routes.
CREATE TABLE rate_limits (
  key TEXT NOT NULL,
  window INTEGER NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (key, window)
) WITHOUT ROWID;

-- The shop platform's own ids (product, variant, order) mapped to SKUs and order refs, as seen in
-- its webhooks, so staff tools that only know the platform id can find the ERP's record.
CREATE TABLE platform_ids (
  shop_id TEXT NOT NULL,
  kind TEXT NOT NULL,                    -- 'product' | 'variant' | 'order'
  platform_id TEXT NOT NULL,             -- a string: platform ids exceed 2^53
  value TEXT NOT NULL,                   -- the SKU or the order ref
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (shop_id, kind, platform_id)
) WITHOUT ROWID;
