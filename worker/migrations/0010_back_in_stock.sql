-- Back-in-stock "notify me" (issue 11): the shop's opt-in, the shoppers' double opt-in
-- subscriptions with their consent, and the signed webhooks the edge owes the shop (an outbox:
-- written in the same transaction as what caused them, retried by the cron until delivered).

CREATE TABLE back_in_stock_settings (
  shop_id TEXT PRIMARY KEY,
  enabled INTEGER NOT NULL,
  webhook_url TEXT NOT NULL,
  consent_text TEXT NOT NULL,
  secret_enc TEXT NOT NULL,              -- the webhook signing secret, AES-GCM with BACKROOM_MASTER_KEY
  updated_at INTEGER NOT NULL
);

-- One row per shop, SKU and email. `pending` until the confirmation link is used, then `confirmed`,
-- then `notified` once a restock webhook listed it (each subscriber is listed once). Unsubscribing
-- deletes the row.
CREATE TABLE back_in_stock_subscriptions (
  id TEXT PRIMARY KEY,
  shop_id TEXT NOT NULL,
  sku TEXT NOT NULL,
  email TEXT NOT NULL,
  locale TEXT,
  consent_text TEXT NOT NULL,            -- the sentence the shopper ticked, verbatim
  consented_at INTEGER NOT NULL,         -- unix ms
  status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'notified')),
  confirmed_at INTEGER,
  notified_at INTEGER,
  webhook_id TEXT,                       -- the stock.back_in_stock webhook that listed it
  unsubscribe_url TEXT NOT NULL,         -- signed; what every webhook about it carries
  UNIQUE (shop_id, sku, email)
);
CREATE INDEX back_in_stock_waiting ON back_in_stock_subscriptions (shop_id, sku, confirmed_at) WHERE status = 'confirmed';
CREATE INDEX back_in_stock_by_webhook ON back_in_stock_subscriptions (webhook_id) WHERE webhook_id IS NOT NULL;

CREATE TABLE back_in_stock_webhooks (
  id TEXT PRIMARY KEY,                   -- the webhook-id, stable across retries
  shop_id TEXT NOT NULL,
  type TEXT NOT NULL,
  body TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  delivered_at INTEGER
);
CREATE INDEX back_in_stock_webhooks_due ON back_in_stock_webhooks (next_attempt_at) WHERE status = 'pending';
