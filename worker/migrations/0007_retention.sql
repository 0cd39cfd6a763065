-- Retention: the every-minute cron prunes what only grows (see worker/db/retention.ts and the
-- RETENTION_* vars in wrangler.toml). These indexes let each prune find its oldest rows without a scan.
-- From here on rate_limits.window holds the window's start in unix ms (it was the window's index),
-- so one cutoff prunes every limit whatever its window length.
CREATE INDEX rate_limits_window ON rate_limits (window);
CREATE INDEX webhook_receipts_received ON webhook_receipts (received_at);
CREATE INDEX deliveries_finished ON deliveries (status, kind, updated_at);
CREATE INDEX sync_log_at ON sync_log (at);
CREATE INDEX stock_history_at ON stock_history (at);
CREATE INDEX connector_runs_finished ON connector_runs (finished_at);
CREATE INDEX connector_errors_at ON connector_errors (at);
