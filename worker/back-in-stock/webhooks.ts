import { dueWebhooks, getBackInStockConfig, type OutboxWebhook, recordAttempt } from "../db/back-in-stock";
import { unseal } from "../domain/secrets";
import { signStandardWebhook } from "../domain/standard-webhooks";
import { outboundFetch } from "../outbound/fetch";

/**
 * Delivers the back-in-stock outbox: each webhook is POSTed to the shop's `webhookUrl`, signed with
 * the shop's back-in-stock secret (Standard Webhooks; `webhook-id` is the row's id, the same on
 * every retry, so the shop dedupes). Any 2xx is delivered; anything else is retried with backoff
 * (1, 2, 4… minutes, by the every-minute cron) until `MAX_ATTEMPTS`, then recorded as failed.
 */

export const MAX_ATTEMPTS = 8;
export const TIMEOUT_MS = 10_000;
/** Webhooks the cron sends per tick. */
const PER_TICK = 50;

const backoff = (attempts: number): number => 60_000 * 2 ** Math.min(attempts, 10);

async function deliver(env: Env, w: OutboxWebhook, doFetch: typeof fetch, now: number): Promise<void> {
  let error: string | undefined;
  try {
    const config = await getBackInStockConfig(env.DB, w.shop);
    if (!config) throw new Error("the shop has no back-in-stock settings");
    const secret = await unseal(env.BACKROOM_MASTER_KEY, `${w.shop}/back-in-stock`, config.secretSealed);
    const headers = await signStandardWebhook(secret, w.id, Math.floor(now / 1000), w.body);
    const res = await outboundFetch(doFetch, config.webhookUrl, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json", "user-agent": "backroom-edge/1" },
      body: w.body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await res.body?.cancel();
    if (!res.ok) error = `HTTP ${res.status}`;
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  const attempts = w.attempts + 1;
  await recordAttempt(
    env.DB,
    w.id,
    error === undefined ? { ok: true } : { ok: false, error, nextAt: attempts >= MAX_ATTEMPTS ? undefined : now + backoff(w.attempts) },
    Date.now(),
  );
}

/** Sends the given webhooks now (right after they were written), or every due one (the cron). Answers how many were tried. */
export async function sendBackInStockWebhooks(env: Env, doFetch: typeof fetch, now: number, ids?: readonly string[]): Promise<number> {
  const due = await dueWebhooks(env.DB, now, PER_TICK, ids);
  for (const w of due) await deliver(env, w, doFetch, now);
  return due.length;
}
