-- The data plane at scale (issue 17): an index for every hot query that read a whole shop or table,
-- so its cost follows what it returns, not how much is stored. test/worker/query-plans.integration.test.ts
-- checks each hot query's plan, so a scan cannot come back unnoticed.

-- The platform stock sync's every-minute question "which SKUs changed since the last sync?".
CREATE INDEX stock_updated ON stock (shop_id, updated_at);
CREATE INDEX reservations_created ON reservations (shop_id, created_at);
CREATE INDEX reservations_released ON reservations (shop_id, released_at) WHERE released_at IS NOT NULL;
-- The stuck-delivery sweep (status = 'pending' | 'retrying' AND updated_at < cutoff).
CREATE INDEX deliveries_stuck ON deliveries (status, updated_at);
-- A product's aliases (replaced on every product push that carries them; the staff product view).
CREATE INDEX sku_aliases_sku ON sku_aliases (shop_id, sku);
-- The platform stock sync takes a shop's dirty SKUs oldest first.
CREATE INDEX platform_stock_dirty_since ON platform_stock_dirty (shop_id, since);
-- Nothing reads products by the raw GTIN: every GTIN lookup goes through products_gtin14 (0008).
DROP INDEX products_gtin;
-- Retention of delivery attempts, oldest first.
CREATE INDEX delivery_attempts_at ON delivery_attempts (at);

-- Fresh statistics for the query planner now that the indexes exist (also run by the cron).
PRAGMA optimize;
