import { hit } from "./rate-limit";

/**
 * The order lookup's limits. The email is the lookup's secret, so guessing is bounded twice:
 * - per client: `perMinute` a minute per `CF-Connecting-IP` (set by Cloudflare's edge, which
 *   overwrites any client-sent value). Without that header (a self-hosted or local edge) there is no
 *   trustworthy client address, so all such callers share one bucket of `perMinute × 10`;
 * - per order number, whatever the client claims to be: `PER_ORDER_PER_HOUR` an hour, so rotating
 *   addresses does not buy more guesses at one order's email.
 */
export const PER_ORDER_PER_HOUR = 20;
export const SHARED_BUCKET_FACTOR = 10;

export async function lookupLimited(
  db: D1Database,
  shop: string,
  clientIp: string | undefined,
  orderNumber: string,
  perMinute: number,
  now: number,
): Promise<{ retryAfter: number; message: string } | undefined> {
  const order = await hit(db, `lookup:${shop}:order:${orderNumber.trim().replace(/^#/, "").toLowerCase()}`, 3600, now);
  if (order.count > PER_ORDER_PER_HOUR) return { retryAfter: order.retryAfter, message: `At most ${PER_ORDER_PER_HOUR} lookups of one order number an hour` };
  const client = clientIp
    ? { key: `lookup:${shop}:ip:${clientIp}`, limit: perMinute }
    : { key: `lookup:${shop}:no-client-ip`, limit: perMinute * SHARED_BUCKET_FACTOR };
  const byClient = await hit(db, client.key, 60, now);
  if (byClient.count > client.limit) return { retryAfter: byClient.retryAfter, message: `At most ${perMinute} order lookups a minute` };
  return undefined;
}
