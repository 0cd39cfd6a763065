-- Staff keys per person, scoped and revocable; the audit log; the operator's explicit order
-- destination; a per-shop maximum lifetime of customer tokens.

-- A staff key: `scopes` is a JSON array of 'read' | 'operate' | 'configure'. Only the key's SHA-256
-- is kept. A revoked key stays listed (and named in the audit log) but opens nothing.
CREATE TABLE staff_keys (
  shop_id TEXT NOT NULL,
  id TEXT NOT NULL,                      -- 'shop' for the shop-wide key minted with the shop, 'sk_…' per person
  name TEXT NOT NULL,
  scopes TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at INTEGER,
  PRIMARY KEY (shop_id, id)
) WITHOUT ROWID;

-- The shop-wide staff key of every existing shop becomes a key with every scope; it keeps working.
INSERT INTO staff_keys (shop_id, id, name, scopes, key_hash, created_at)
  SELECT id, 'shop', 'shop key', '["read","operate","configure"]', staff_key_hash, created_at FROM shops;
ALTER TABLE shops DROP COLUMN staff_key_hash;

ALTER TABLE shops ADD COLUMN customer_token_max_seconds INTEGER NOT NULL DEFAULT 2592000;

-- Who changed what, when: every configuration change and replay. `actor` is a staff key id or
-- 'operator'; `changes` is a JSON array of { field, from?, to? } with secrets masked.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  shop_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  actor_name TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  changes TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX audit_log_by_shop ON audit_log (shop_id, id DESC);

-- Where shop orders go, set by the operator only: 'erp-endpoint' (the signed POST to
-- erp_endpoint_url) or 'erp-connector' (the shop's Odoo/ERPNext connector).
ALTER TABLE shop_order_settings ADD COLUMN orders_to TEXT NOT NULL DEFAULT 'erp-endpoint';
