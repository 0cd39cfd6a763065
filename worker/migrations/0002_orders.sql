-- Shop orders: platform webhooks → stock reservation → queue → ERP, and tracking back to the shop.

-- Per-shop order pipeline settings, set by the operator (PUT /v1/admin/shops/:shop/orders-settings).
CREATE TABLE shop_order_settings (
  shop_id TEXT PRIMARY KEY,
  erp_endpoint_url TEXT,                 -- where the generic connector POSTs orders
  reservation_ttl_minutes INTEGER NOT NULL DEFAULT 1440,
  warehouse_priority TEXT NOT NULL DEFAULT '[]',  -- JSON array of warehouse codes, most preferred first
  shopify_enc TEXT,                      -- AES-GCM (context "{shop}/platform-api") of { shopDomain, accessToken, apiVersion? }
  woocommerce_enc TEXT,                  -- AES-GCM (context "{shop}/platform-api") of { baseUrl, consumerKey, consumerSecret }
  reconcile_cursor TEXT,                 -- ISO time: the platform was asked for orders changed after this
  reconciled_at INTEGER,
  updated_at INTEGER NOT NULL
);

-- The durable inbox: every verified platform webhook is written here before the 2xx, keyed by the
-- platform's delivery id (the dedupe), then turned into an order after the answer.
CREATE TABLE order_inbox (
  shop_id TEXT NOT NULL,
  platform TEXT NOT NULL,
  delivery_id TEXT NOT NULL,
  topic TEXT NOT NULL,
  body TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'received', -- received | processing | done | rejected
  claimed_at INTEGER,
  error TEXT,
  PRIMARY KEY (shop_id, platform, delivery_id)
) WITHOUT ROWID;
CREATE INDEX order_inbox_state ON order_inbox (state, received_at);

-- Platform orders as the edge merged them from every event seen, whatever their arrival order.
CREATE TABLE shop_orders (
  shop_id TEXT NOT NULL,
  order_ref TEXT NOT NULL,               -- the platform's order id, a string
  platform TEXT NOT NULL,
  state TEXT NOT NULL,                   -- JSON of the merged state (see worker/orders/merge.ts)
  rev INTEGER NOT NULL DEFAULT 0,        -- compare-and-set counter for concurrent events
  queued_revision TEXT,                  -- hash of the state last queued to the ERP
  reservation TEXT NOT NULL DEFAULT 'none', -- none | reserving | held | empty (nothing could be taken) | released | expired
  reserved_at INTEGER,
  released_at INTEGER,
  release_reason TEXT,                   -- cancelled | erp_confirmed | expired
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (shop_id, order_ref)
) WITHOUT ROWID;
CREATE INDEX shop_orders_reservation ON shop_orders (reservation, reserved_at);

-- Stock taken by one order line in one warehouse; `stock.reserved` is the sum of the held rows.
CREATE TABLE reservations (
  shop_id TEXT NOT NULL,
  order_ref TEXT NOT NULL,
  line_id TEXT NOT NULL,
  sku TEXT NOT NULL,
  warehouse TEXT NOT NULL,
  qty INTEGER NOT NULL,
  backorder INTEGER NOT NULL DEFAULT 0,  -- 1 when taken beyond available (the product allows backorders)
  state TEXT NOT NULL DEFAULT 'held',    -- held | released
  created_at INTEGER NOT NULL,
  released_at INTEGER,
  PRIMARY KEY (shop_id, order_ref, line_id, warehouse)
) WITHOUT ROWID;
CREATE INDEX reservations_sku ON reservations (shop_id, sku, warehouse, state);

-- Outbound work with an idempotency key: orders to the ERP, fulfilments to the platform.
CREATE TABLE deliveries (
  id TEXT PRIMARY KEY,                   -- the idempotency key (webhook-id towards the ERP)
  shop_id TEXT NOT NULL,
  kind TEXT NOT NULL,                    -- erp_order | fulfilment
  order_ref TEXT NOT NULL,
  event TEXT NOT NULL,                   -- order.created | order.updated | order.cancelled | fulfilment
  payload TEXT NOT NULL DEFAULT '{}',    -- for fulfilments: the shipment
  status TEXT NOT NULL DEFAULT 'pending', -- pending | retrying | delivered | failed
  attempts INTEGER NOT NULL DEFAULT 0,
  lease_until INTEGER,                  -- one attempt at a time: set while an attempt runs
  last_error TEXT,
  result TEXT,                           -- e.g. the ERP's ref, the platform's fulfilment id
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  delivered_at INTEGER
);
CREATE INDEX deliveries_shop_status ON deliveries (shop_id, status, created_at);
CREATE INDEX deliveries_order ON deliveries (shop_id, order_ref);
