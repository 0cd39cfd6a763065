import { SHARED_BUCKET_FACTOR } from "./lookup-limit";
import { hit } from "./rate-limit";

/**
 * The back-in-stock form's limits, like the order lookup's: per client (`perMinute` per
 * `CF-Connecting-IP`, or one shared bucket ten times as large without that header), and per email
 * address whatever the client claims (`PER_EMAIL_PER_HOUR`), so nobody can make a shop send a
 * stranger a flood of confirmation emails.
 */
export const PER_EMAIL_PER_HOUR = 5;

export async function subscribeLimited(
  db: D1Database,
  shop: string,
  clientIp: string | undefined,
  email: string,
  perMinute: number,
  now: number,
): Promise<{ retryAfter: number; message: string } | undefined> {
  const client = clientIp
    ? { key: `bis:${shop}:ip:${clientIp}`, limit: perMinute }
    : { key: `bis:${shop}:no-client-ip`, limit: perMinute * SHARED_BUCKET_FACTOR };
  const byClient = await hit(db, client.key, 60, now);
  if (byClient.count > client.limit) return { retryAfter: byClient.retryAfter, message: `At most ${perMinute} subscriptions a minute` };
  const byEmail = await hit(db, `bis:${shop}:email:${email.toLowerCase()}`, 3600, now);
  if (byEmail.count > PER_EMAIL_PER_HOUR)
    return { retryAfter: byEmail.retryAfter, message: `At most ${PER_EMAIL_PER_HOUR} subscriptions of one email address an hour` };
  return undefined;
}
