-- Retention of what only grew until now (issue 17): released reservation rows, back-in-stock
-- subscribers already notified or never confirmed, and delivered restock webhooks. Each prune is a
-- bounded DELETE run every minute; these partial indexes make it read only the rows it deletes
-- (test/worker/query-plans.integration.test.ts fails on a scan).
CREATE INDEX reservations_released_at ON reservations (released_at) WHERE state = 'released';
CREATE INDEX back_in_stock_notified_at ON back_in_stock_subscriptions (notified_at) WHERE status = 'notified';
CREATE INDEX back_in_stock_pending_at ON back_in_stock_subscriptions (consented_at) WHERE status = 'pending';
CREATE INDEX back_in_stock_webhooks_delivered ON back_in_stock_webhooks (delivered_at) WHERE status = 'delivered';
