import { z } from "zod";

const Counted = z.object({ count: z.number() });

/**
 * A fixed-window counter in D1: one upsert answers how many calls this key made in this window.
 * The same batch sweeps the key's older windows; a key never seen again is pruned by the cron
 * (`window` is the window's start in unix ms, so one cutoff fits every window length).
 */
export async function hit(db: D1Database, key: string, windowSeconds: number, nowMs: number): Promise<{ count: number; retryAfter: number }> {
  const index = Math.floor(nowMs / 1000 / windowSeconds);
  const window = index * windowSeconds * 1000;
  const [, counted] = await db.batch([
    db.prepare("DELETE FROM rate_limits WHERE key = ? AND window < ?").bind(key, window),
    db
      .prepare("INSERT INTO rate_limits (key, window, count) VALUES (?, ?, 1) ON CONFLICT (key, window) DO UPDATE SET count = count + 1 RETURNING count")
      .bind(key, window),
  ]);
  const { count } = Counted.parse(counted?.results[0]);
  return { count, retryAfter: (index + 1) * windowSeconds - Math.floor(nowMs / 1000) };
}
