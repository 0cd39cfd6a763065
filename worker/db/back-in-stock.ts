import { z } from "zod";

/** Back-in-stock settings, subscriptions and the webhook outbox in D1 (migration 0010). */

export interface BackInStockConfig {
  enabled: boolean;
  webhookUrl: string;
  consentText: string;
  secretSealed: string;
}

const SettingsRow = z.object({ enabled: z.number(), webhook_url: z.string(), consent_text: z.string(), secret_enc: z.string() });

export async function getBackInStockConfig(db: D1Database, shop: string): Promise<BackInStockConfig | undefined> {
  const row = await db.prepare("SELECT enabled, webhook_url, consent_text, secret_enc FROM back_in_stock_settings WHERE shop_id = ?").bind(shop).first();
  if (!row) return undefined;
  const r = SettingsRow.parse(row);
  return { enabled: r.enabled === 1, webhookUrl: r.webhook_url, consentText: r.consent_text, secretSealed: r.secret_enc };
}

export const putBackInStockConfig = (db: D1Database, shop: string, c: BackInStockConfig, now: number): D1PreparedStatement =>
  db
    .prepare(
      `INSERT INTO back_in_stock_settings (shop_id, enabled, webhook_url, consent_text, secret_enc, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (shop_id) DO UPDATE SET enabled = excluded.enabled, webhook_url = excluded.webhook_url,
         consent_text = excluded.consent_text, secret_enc = excluded.secret_enc, updated_at = excluded.updated_at`,
    )
    .bind(shop, c.enabled ? 1 : 0, c.webhookUrl, c.consentText, c.secretSealed, now);

export interface NewSubscription {
  id: string;
  shop: string;
  sku: string;
  email: string;
  locale: string | undefined;
  consentText: string;
  unsubscribeUrl: string;
}

/**
 * Records a shopper's consent as `pending`, or renews it. A subscription that is already confirmed
 * stays confirmed (asking again changes nothing but the consent record); one that was notified
 * starts over. Answers the row's id and status after the write.
 */
export async function upsertSubscription(db: D1Database, s: NewSubscription, now: number): Promise<{ id: string; status: string }> {
  const row = await db
    .prepare(
      `INSERT INTO back_in_stock_subscriptions (id, shop_id, sku, email, locale, consent_text, consented_at, status, unsubscribe_url)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'pending', ?8)
       ON CONFLICT (shop_id, sku, email) DO UPDATE SET locale = excluded.locale, consent_text = excluded.consent_text,
         consented_at = excluded.consented_at,
         status = CASE WHEN status = 'confirmed' THEN 'confirmed' ELSE 'pending' END,
         notified_at = CASE WHEN status = 'confirmed' THEN notified_at END,
         webhook_id = CASE WHEN status = 'confirmed' THEN webhook_id END
       RETURNING id, status`,
    )
    .bind(s.id, s.shop, s.sku, s.email, s.locale ?? null, s.consentText, now, s.unsubscribeUrl)
    .first();
  return z.object({ id: z.string(), status: z.string() }).parse(row);
}

/** Confirms a pending subscription; answers false when there is no such subscription (any more). */
export async function confirmSubscription(db: D1Database, shop: string, id: string, now: number): Promise<boolean> {
  await db
    .prepare("UPDATE back_in_stock_subscriptions SET status = 'confirmed', confirmed_at = ? WHERE shop_id = ? AND id = ? AND status = 'pending'")
    .bind(now, shop, id)
    .run();
  return (await db.prepare("SELECT 1 FROM back_in_stock_subscriptions WHERE shop_id = ? AND id = ?").bind(shop, id).first()) !== null;
}

/** Forgets a subscription (email and consent record with it). Idempotent. */
export const deleteSubscription = (db: D1Database, shop: string, id: string): Promise<D1Result> =>
  db.prepare("DELETE FROM back_in_stock_subscriptions WHERE shop_id = ? AND id = ?").bind(shop, id).run();

/** Of these SKUs, the ones with confirmed subscribers waiting. */
export async function skusWithSubscribers(db: D1Database, shop: string, skus: readonly string[]): Promise<string[]> {
  const { results } = await db
    .prepare("SELECT DISTINCT sku FROM back_in_stock_subscriptions WHERE shop_id = ? AND status = 'confirmed' AND sku IN (SELECT value FROM json_each(?))")
    .bind(shop, JSON.stringify(skus))
    .all();
  return results.map((r) => z.object({ sku: z.string() }).parse(r).sku);
}

const iso = (col: string) => `strftime('%Y-%m-%dT%H:%M:%fZ', ${col} / 1000.0, 'unixepoch')`;

/**
 * Claims up to `limit` confirmed subscribers of one SKU and writes the `stock.back_in_stock`
 * webhook listing them, in one transaction: a subscriber is listed by exactly one webhook, and a
 * claimed one is never without its webhook. Answers how many were claimed.
 */
export async function claimRestock(
  db: D1Database,
  p: { shop: string; sku: string; available: number; webhookId: string; limit: number; retryAt: number },
  now: number,
): Promise<number> {
  const [claimed] = await db.batch([
    db
      .prepare(
        `UPDATE back_in_stock_subscriptions SET status = 'notified', notified_at = ?1, webhook_id = ?2
         WHERE id IN (SELECT id FROM back_in_stock_subscriptions WHERE shop_id = ?3 AND sku = ?4 AND status = 'confirmed' ORDER BY confirmed_at LIMIT ?5)`,
      )
      .bind(now, p.webhookId, p.shop, p.sku, p.limit),
    db
      .prepare(
        `INSERT INTO back_in_stock_webhooks (id, shop_id, type, body, status, attempts, next_attempt_at, created_at)
         SELECT ?1, ?2, 'stock.back_in_stock', json_object('type', 'stock.back_in_stock', 'timestamp', ${iso("?5")},
           'data', json_object('shop', ?2, 'sku', ?3, 'available', ?4, 'subscribers', json_group_array(json_object(
             'email', email, 'locale', locale, 'consentedAt', ${iso("consented_at")}, 'confirmedAt', ${iso("confirmed_at")},
             'unsubscribeUrl', unsubscribe_url)))), 'pending', 0, ?6, ?5
         FROM back_in_stock_subscriptions WHERE webhook_id = ?1 HAVING count(*) > 0`,
      )
      .bind(p.webhookId, p.shop, p.sku, p.available, now, p.retryAt),
  ]);
  return claimed?.meta.changes ?? 0;
}

/** A webhook to send now; `retryAt` is when the cron takes it up if sending now does not record an outcome. */
export const insertWebhook = (db: D1Database, w: { id: string; shop: string; type: string; body: string; retryAt: number }, now: number): D1PreparedStatement =>
  db
    .prepare(
      "INSERT INTO back_in_stock_webhooks (id, shop_id, type, body, status, attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, 'pending', 0, ?, ?)",
    )
    .bind(w.id, w.shop, w.type, w.body, w.retryAt, now);

export interface OutboxWebhook {
  id: string;
  shop: string;
  body: string;
  attempts: number;
}

const OutboxRow = z.object({ id: z.string(), shop_id: z.string(), body: z.string(), attempts: z.number() });

/** Pending webhooks due now (or the given ones, if still pending), oldest first. */
export async function dueWebhooks(db: D1Database, now: number, limit: number, ids?: readonly string[]): Promise<OutboxWebhook[]> {
  const stmt = ids
    ? db
        .prepare("SELECT id, shop_id, body, attempts FROM back_in_stock_webhooks WHERE status = 'pending' AND id IN (SELECT value FROM json_each(?))")
        .bind(JSON.stringify(ids))
    : db
        .prepare(
          "SELECT id, shop_id, body, attempts FROM back_in_stock_webhooks WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?",
        )
        .bind(now, limit);
  const { results } = await stmt.all();
  return results.map((raw) => {
    const r = OutboxRow.parse(raw);
    return { id: r.id, shop: r.shop_id, body: r.body, attempts: r.attempts };
  });
}

/** Records one delivery attempt: delivered, retry at `nextAt`, or failed for good (`nextAt` undefined). */
export const recordAttempt = (db: D1Database, id: string, outcome: { ok: true } | { ok: false; error: string; nextAt: number | undefined }, now: number) =>
  outcome.ok
    ? db
        .prepare("UPDATE back_in_stock_webhooks SET status = 'delivered', attempts = attempts + 1, delivered_at = ?, last_error = NULL WHERE id = ?")
        .bind(now, id)
        .run()
    : db
        .prepare("UPDATE back_in_stock_webhooks SET status = ?, attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?")
        .bind(outcome.nextAt === undefined ? "failed" : "pending", outcome.nextAt ?? now, outcome.error.slice(0, 500), id)
        .run();
