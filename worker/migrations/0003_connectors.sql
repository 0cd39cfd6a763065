-- Connectors: the edge pulls from the shop's ERP (Odoo, ERPNext), pushes orders to it, and pushes
-- available stock into the shop platform (Shopify, WooCommerce). Credentials are sealed with
-- BACKROOM_MASTER_KEY under the context "{shop}/connector".

-- One row per shop and slot: 'erp' (odoo | erpnext) or 'platform' (shopify | woocommerce).
CREATE TABLE connector_settings (
  shop_id TEXT NOT NULL,
  slot TEXT NOT NULL,                    -- 'erp' | 'platform'
  kind TEXT NOT NULL,                    -- 'odoo' | 'erpnext' | 'shopify' | 'woocommerce'
  sealed TEXT NOT NULL,                  -- AES-GCM of the settings JSON (URL, credentials, mappings)
  enabled INTEGER NOT NULL DEFAULT 1,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (shop_id, slot)
) WITHOUT ROWID;

-- Where the last pull of each resource stopped: the ERP's write date (Odoo write_date, ERPNext modified).
CREATE TABLE connector_cursors (
  shop_id TEXT NOT NULL,
  connector TEXT NOT NULL,
  resource TEXT NOT NULL,
  cursor TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (shop_id, connector, resource)
) WITHOUT ROWID;

-- One row per connector run (a scheduled pull, a platform stock sync, a webhook): what staff see.
CREATE TABLE connector_runs (
  id TEXT PRIMARY KEY,
  shop_id TEXT NOT NULL,
  connector TEXT NOT NULL,               -- 'odoo' | 'erpnext' | 'shopify' | 'woocommerce'
  kind TEXT NOT NULL,                    -- 'pull' | 'stock' | 'webhook'
  status TEXT NOT NULL,                  -- 'running' | 'ok' | 'partial' | 'failed' | 'throttled'
  fetched INTEGER NOT NULL DEFAULT 0,
  applied INTEGER NOT NULL DEFAULT 0,
  stale INTEGER NOT NULL DEFAULT 0,
  rejected INTEGER NOT NULL DEFAULT 0,
  message TEXT,
  started_at INTEGER NOT NULL,
  finished_at INTEGER
);
CREATE INDEX connector_runs_shop ON connector_runs (shop_id, started_at);

-- Records a run could not take (a bad ERP record, a refused platform update); one never blocks the rest.
CREATE TABLE connector_errors (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id TEXT NOT NULL,
  shop_id TEXT NOT NULL,
  resource TEXT NOT NULL,
  record TEXT,                           -- the ERP's id of the record, e.g. "product.product/42" or "Item/TEE-M"
  code TEXT NOT NULL,
  message TEXT NOT NULL,
  retryable INTEGER NOT NULL DEFAULT 0,
  at INTEGER NOT NULL
);
CREATE INDEX connector_errors_run ON connector_errors (shop_id, run_id);

-- What the platform was last told per SKU and location, so only changes are pushed.
CREATE TABLE platform_stock (
  shop_id TEXT NOT NULL,
  sku TEXT NOT NULL,
  location TEXT NOT NULL,                -- Shopify location gid, or '' for WooCommerce's single stock
  qty INTEGER NOT NULL,
  pushed_at INTEGER NOT NULL,
  PRIMARY KEY (shop_id, sku, location)
) WITHOUT ROWID;

-- The platform's own item id per SKU (Shopify InventoryItem gid, WooCommerce product id).
CREATE TABLE platform_stock_items (
  shop_id TEXT NOT NULL,
  sku TEXT NOT NULL,
  item_id TEXT NOT NULL,
  PRIMARY KEY (shop_id, sku)
) WITHOUT ROWID;

-- SKUs whose availability changed since the last platform stock sync (any writer may add one).
CREATE TABLE platform_stock_dirty (
  shop_id TEXT NOT NULL,
  sku TEXT NOT NULL,
  since INTEGER NOT NULL,
  PRIMARY KEY (shop_id, sku)
) WITHOUT ROWID;
