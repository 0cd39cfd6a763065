import { z } from "zod";
import { applyOrderEvent, type Dispatch } from "./apply";
import { parseLossless } from "./lossless-json";
import { IgnoredTopic, type OrderEventInput } from "./platform-order";
import { normaliseShopifyOrder } from "./shopify";
import { normaliseWooOrder } from "./woocommerce";

/**
 * The durable inbox between a platform's webhook and the order pipeline. The route writes the
 * verified raw body here (keyed by the platform's delivery id), queues an `inbox` message and
 * answers; the queue consumer runs `processInbox`, and the cron sweeps whatever was left behind.
 */

export type InboxPlatform = "shopify" | "woocommerce";

/** Records a delivery; false when the platform already delivered it (a retry or a twin). */
export async function writeInbox(
  db: D1Database,
  m: { shop: string; platform: InboxPlatform; deliveryId: string; topic: string; body: string },
  now: number,
): Promise<boolean> {
  const res = await db
    .prepare("INSERT INTO order_inbox (shop_id, platform, delivery_id, topic, body, received_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
    .bind(m.shop, m.platform, m.deliveryId, m.topic, m.body, now)
    .run();
  return res.meta.changes === 1;
}

const Claimed = z.object({ topic: z.string(), body: z.string() });

/** How long a claim protects an entry before a sweep may take it over (the claimer died). */
export const CLAIM_TIMEOUT_MS = 60_000;

export function normalise(shop: string, platform: InboxPlatform, topic: string, body: string): OrderEventInput {
  const parsed = parseLossless(body);
  return platform === "shopify" ? normaliseShopifyOrder(shop, topic, parsed) : normaliseWooOrder(shop, topic, parsed);
}

/**
 * Processes one inbox entry if it can claim it. A malformed body is rejected for good (kept for
 * staff, never retried); any other failure leaves the claim to time out so a sweep retries it.
 * `dispatch` sends the ERP delivery the entry created (see `applyOrderEvent`).
 */
export async function processInbox(
  env: Env,
  shop: string,
  platform: InboxPlatform,
  deliveryId: string,
  now = Date.now(),
  dispatch?: Dispatch,
): Promise<"done" | "rejected" | "ignored" | "skipped"> {
  const raw = await env.DB.prepare(
    `UPDATE order_inbox SET state = 'processing', claimed_at = ?1
     WHERE shop_id = ?2 AND platform = ?3 AND delivery_id = ?4 AND (state = 'received' OR (state = 'processing' AND claimed_at < ?5))
     RETURNING topic, body`,
  )
    .bind(now, shop, platform, deliveryId, now - CLAIM_TIMEOUT_MS)
    .first();
  if (!raw) return "skipped";
  const { topic, body } = Claimed.parse(raw);
  const finish = (state: "done" | "rejected", error?: string) =>
    env.DB.prepare("UPDATE order_inbox SET state = ?, error = ? WHERE shop_id = ? AND platform = ? AND delivery_id = ?")
      .bind(state, error ?? null, shop, platform, deliveryId)
      .run();
  let event: OrderEventInput;
  try {
    event = normalise(shop, platform, topic, body);
  } catch (e) {
    if (e instanceof IgnoredTopic) {
      await finish("done");
      return "ignored";
    }
    await finish("rejected", e instanceof Error ? e.message.slice(0, 1000) : "unreadable body");
    return "rejected";
  }
  try {
    await applyOrderEvent(env, shop, event, now, dispatch);
  } catch (e) {
    // Give the claim back so the queue's retry (or the sweep) can take it again at once.
    await env.DB.prepare("UPDATE order_inbox SET state = 'received', claimed_at = NULL WHERE shop_id = ? AND platform = ? AND delivery_id = ?")
      .bind(shop, platform, deliveryId)
      .run();
    throw e;
  }
  await finish("done");
  return "done";
}

/** Processes inbox entries whose queue message was lost (older than `minAgeMs`). Bounded per run. */
export async function sweepInbox(env: Env, now: number, minAgeMs = 30_000, limit = 200): Promise<number> {
  const { results } = await env.DB.prepare(
    // Two index ranges of the few waiting entries: as one OR, with statistics saying nearly every entry
    // is done, the planner walked the whole inbox.
    `SELECT shop_id, platform, delivery_id FROM (
       SELECT shop_id, platform, delivery_id, received_at FROM order_inbox INDEXED BY order_inbox_state WHERE state = 'received' AND received_at < ?1
       UNION ALL
       SELECT shop_id, platform, delivery_id, received_at FROM order_inbox INDEXED BY order_inbox_state WHERE state = 'processing' AND claimed_at < ?2)
     ORDER BY received_at LIMIT ?3`,
  )
    .bind(now - minAgeMs, now - CLAIM_TIMEOUT_MS, limit)
    .all();
  let done = 0;
  for (const raw of results) {
    const r = z.object({ shop_id: z.string(), platform: z.enum(["shopify", "woocommerce"]), delivery_id: z.string() }).parse(raw);
    try {
      if ((await processInbox(env, r.shop_id, r.platform, r.delivery_id, now)) !== "skipped") done++;
    } catch (e) {
      console.error("inbox sweep", r.delivery_id, e);
    }
  }
  return done;
}
