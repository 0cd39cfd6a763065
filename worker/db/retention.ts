import { z } from "zod";

/**
 * Retention: what only grows is pruned by the every-minute cron, oldest first, in bounded batches
 * (at most `batch` rows per kind per round, `MAX_ROUNDS` rounds per tick), each kind after its own
 * period (the RETENTION_* vars in wrangler.toml). Nothing that is still work or still the only
 * record of something is pruned:
 * - `order_inbox`: only entries that are done or rejected (never one waiting to be processed),
 *   counted from when they were processed;
 * - `deliveries`: only delivered orders to the ERP; fulfilments are kept, since their rows are what
 *   stops a later ERP push of the same shipment from fulfilling it on the platform twice;
 * - `delivery_attempts`: only attempts of a delivery that was delivered (or is gone); a failed or
 *   still retrying delivery keeps its whole history for staff, however old;
 * - `sync_log`, `stock_history`: the newest row per shop and resource (per SKU) is kept, so "last
 *   sync" and "recent changes" never go blank;
 * - `webhook_receipts`: a receipt only matters while its delivery could still verify (±5 minutes);
 * - `reservations`: only released rows (a held row is stock taken); `stock.reserved` is the sum of
 *   the held rows, so a released row is history only;
 * - `back_in_stock_subscriptions`: subscribers already listed in a restock webhook that was
 *   delivered, and sign-ups never confirmed once their confirmation link has expired;
 *   `back_in_stock_webhooks`: the delivered ones (a failed one stays for staff).
 */

const DAY_MS = 86_400_000;
export const MAX_ROUNDS = 10;
/** A sign-up nobody confirmed is useless once its link expired (CONFIRM_TTL_SECONDS, 7 days). */
export const UNCONFIRMED_MS = 8 * DAY_MS;

const days = (fallback: number) => z.coerce.number().positive().default(fallback);
const RetentionVars = z.object({
  RETENTION_RATE_LIMITS_MINUTES: z.coerce.number().positive().default(60),
  RETENTION_WEBHOOK_RECEIPTS_DAYS: days(7),
  RETENTION_ORDER_INBOX_DAYS: days(14),
  RETENTION_DELIVERIES_DAYS: days(30),
  RETENTION_DELIVERY_ATTEMPTS_DAYS: days(30),
  RETENTION_SYNC_LOG_DAYS: days(90),
  RETENTION_STOCK_HISTORY_DAYS: days(30),
  RETENTION_CONNECTOR_RUNS_DAYS: days(30),
  RETENTION_RESERVATIONS_DAYS: days(30),
  RETENTION_BACK_IN_STOCK_DAYS: days(90),
  RETENTION_PRUNE_BATCH: z.coerce.number().int().min(1).max(10_000).default(1000),
});

export const RETENTION_KINDS = [
  "rateLimits",
  "webhookReceipts",
  "orderInbox",
  "deliveries",
  "deliveryAttempts",
  "syncLog",
  "stockHistory",
  "connectorRuns",
  "connectorErrors",
  "reservations",
  "backInStockNotified",
  "backInStockUnconfirmed",
  "backInStockWebhooks",
] as const;
export type RetentionKind = (typeof RETENTION_KINDS)[number];

export interface Retention {
  /** How long each kind is kept, in ms. */
  keepMs: Record<RetentionKind, number>;
  /** Rows pruned per kind per round. */
  batch: number;
}

/** A receipt must outlive the Standard Webhooks timestamp tolerance, or a replay inside it would apply twice. */
const MIN_RECEIPT_MS = 10 * 60_000;

/** The retention from the worker's vars; a missing or unreadable var takes its default. */
export function retentionFromEnv(env: Partial<Record<keyof z.infer<typeof RetentionVars>, unknown>>): Retention {
  const defaults = RetentionVars.parse({});
  const read = <K extends keyof typeof defaults>(k: K) => {
    const parsed = RetentionVars.shape[k].safeParse(env[k]);
    return parsed.success ? parsed.data : defaults[k];
  };
  const connectorRuns = read("RETENTION_CONNECTOR_RUNS_DAYS") * DAY_MS;
  const backInStock = read("RETENTION_BACK_IN_STOCK_DAYS") * DAY_MS;
  return {
    keepMs: {
      rateLimits: read("RETENTION_RATE_LIMITS_MINUTES") * 60_000,
      webhookReceipts: Math.max(MIN_RECEIPT_MS, read("RETENTION_WEBHOOK_RECEIPTS_DAYS") * DAY_MS),
      orderInbox: read("RETENTION_ORDER_INBOX_DAYS") * DAY_MS,
      deliveries: read("RETENTION_DELIVERIES_DAYS") * DAY_MS,
      deliveryAttempts: read("RETENTION_DELIVERY_ATTEMPTS_DAYS") * DAY_MS,
      syncLog: read("RETENTION_SYNC_LOG_DAYS") * DAY_MS,
      stockHistory: read("RETENTION_STOCK_HISTORY_DAYS") * DAY_MS,
      connectorRuns,
      connectorErrors: connectorRuns,
      reservations: read("RETENTION_RESERVATIONS_DAYS") * DAY_MS,
      backInStockNotified: backInStock,
      backInStockUnconfirmed: UNCONFIRMED_MS,
      backInStockWebhooks: backInStock,
    },
    batch: read("RETENTION_PRUNE_BATCH"),
  };
}

/** One bounded DELETE per kind: `?1` is the cutoff (unix ms; older goes), `?2` the batch size. */
const PRUNE: Record<RetentionKind, string> = {
  rateLimits: "DELETE FROM rate_limits WHERE (key, window) IN (SELECT key, window FROM rate_limits WHERE window < ?1 LIMIT ?2)",
  webhookReceipts: `DELETE FROM webhook_receipts WHERE (shop_id, source, id) IN
    (SELECT shop_id, source, id FROM webhook_receipts WHERE received_at < ?1 LIMIT ?2)`,
  orderInbox: `DELETE FROM order_inbox WHERE (shop_id, platform, delivery_id) IN
    (SELECT shop_id, platform, delivery_id FROM order_inbox
     WHERE state IN ('done', 'rejected') AND received_at < ?1 AND COALESCE(claimed_at, received_at) < ?1 LIMIT ?2)`,
  deliveries: `DELETE FROM deliveries WHERE id IN
    (SELECT id FROM deliveries WHERE status = 'delivered' AND kind = 'erp_order' AND updated_at < ?1 LIMIT ?2)`,
  deliveryAttempts: `DELETE FROM delivery_attempts WHERE rowid IN (SELECT rowid FROM delivery_attempts a WHERE at < ?1
    AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.id = a.delivery_id AND d.status <> 'delivered') LIMIT ?2)`,
  syncLog: `DELETE FROM sync_log WHERE id IN (SELECT id FROM sync_log s WHERE at < ?1
    AND at < (SELECT max(at) FROM sync_log m WHERE m.shop_id = s.shop_id AND m.resource = s.resource) LIMIT ?2)`,
  stockHistory: `DELETE FROM stock_history WHERE rowid IN (SELECT rowid FROM stock_history s WHERE at < ?1
    AND at < (SELECT max(at) FROM stock_history m WHERE m.shop_id = s.shop_id AND m.sku = s.sku AND m.warehouse = s.warehouse) LIMIT ?2)`,
  connectorRuns: "DELETE FROM connector_runs WHERE id IN (SELECT id FROM connector_runs WHERE finished_at < ?1 LIMIT ?2)",
  connectorErrors: "DELETE FROM connector_errors WHERE id IN (SELECT id FROM connector_errors WHERE at < ?1 LIMIT ?2)",
  reservations: `DELETE FROM reservations WHERE (shop_id, order_ref, line_id, warehouse) IN
    (SELECT shop_id, order_ref, line_id, warehouse FROM reservations WHERE state = 'released' AND released_at < ?1 LIMIT ?2)`,
  backInStockNotified: `DELETE FROM back_in_stock_subscriptions WHERE id IN (SELECT id FROM back_in_stock_subscriptions s
    WHERE status = 'notified' AND notified_at < ?1
      AND NOT EXISTS (SELECT 1 FROM back_in_stock_webhooks w WHERE w.id = s.webhook_id AND w.status <> 'delivered') LIMIT ?2)`,
  backInStockUnconfirmed: `DELETE FROM back_in_stock_subscriptions WHERE id IN
    (SELECT id FROM back_in_stock_subscriptions WHERE status = 'pending' AND consented_at < ?1 LIMIT ?2)`,
  backInStockWebhooks: `DELETE FROM back_in_stock_webhooks WHERE id IN
    (SELECT id FROM back_in_stock_webhooks WHERE status = 'delivered' AND delivered_at < ?1 LIMIT ?2)`,
};

/**
 * Prunes every kind older than its retention: each round is one D1 batch with one bounded DELETE
 * per kind that still had a full batch; at most `MAX_ROUNDS` rounds. Answers the rows pruned per kind.
 */
export async function pruneExpired(db: D1Database, retention: Retention, now: number): Promise<Record<RetentionKind, number>> {
  const pruned: Record<RetentionKind, number> = {
    rateLimits: 0,
    webhookReceipts: 0,
    orderInbox: 0,
    deliveries: 0,
    deliveryAttempts: 0,
    syncLog: 0,
    stockHistory: 0,
    connectorRuns: 0,
    connectorErrors: 0,
    reservations: 0,
    backInStockNotified: 0,
    backInStockUnconfirmed: 0,
    backInStockWebhooks: 0,
  };
  let open: readonly RetentionKind[] = RETENTION_KINDS;
  for (let round = 0; round < MAX_ROUNDS && open.length > 0; round++) {
    const results = await db.batch(open.map((k) => db.prepare(PRUNE[k]).bind(now - retention.keepMs[k], retention.batch)));
    const stillFull: RetentionKind[] = [];
    open.forEach((k, i) => {
      const n = results[i]?.meta.changes ?? 0;
      pruned[k] += n;
      if (n >= retention.batch) stillFull.push(k);
    });
    open = stillFull;
  }
  return pruned;
}
