import { z } from "zod";
import { ConnectorError } from "../connectors/connector";
import { platformApi } from "../connectors/settings";
import { OrderPlatform } from "../contract/orders";
import { parseLossless } from "../domain/lossless-json";
import { IgnoredTopic, type OrderEventInput } from "../platforms/platform";
import { platformApiFor, platformNamed } from "../platforms/registry";
import { applyOrderEvent, type Dispatch } from "./apply";

/**
 * The durable inbox between a platform's webhook and the order pipeline. The route writes the
 * verified raw body here (keyed by the platform's delivery id), queues an `inbox` message and
 * answers; the queue consumer runs `processInbox`, and the cron sweeps whatever was left behind.
 */

/** Records a delivery; false when the platform already delivered it (a retry or a twin). */
export async function writeInbox(
  db: D1Database,
  m: { shop: string; platform: OrderPlatform; deliveryId: string; topic: string; body: string },
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

export function normalise(shop: string, platform: OrderPlatform, topic: string, body: string): OrderEventInput {
  return platformNamed(platform).normalise(shop, topic, parseLossless(body));
}

/**
 * The order an event that carries only its id names, read from the platform's API with the shop's
 * platform connector. Without that connector the entry cannot be read: rejected (kept for staff;
 * reconciliation picks the order up once the connector is set).
 */
async function fetched(env: Env, shop: string, e: OrderEventInput, doFetch: typeof fetch): Promise<OrderEventInput> {
  const creds = await platformApi(env, shop);
  if (creds?.kind !== e.platform)
    throw new ConnectorError(false, `No enabled ${platformNamed(e.platform).label} platform connector to read order ${e.orderRef} with`);
  return platformApiFor(creds, doFetch).fetchOrder(shop, e.orderRef);
}

/**
 * Processes one inbox entry if it can claim it. A malformed body is rejected for good (kept for
 * staff, never retried); any other failure leaves the claim to time out so a sweep retries it.
 * `dispatch` sends the ERP delivery the entry created (see `applyOrderEvent`).
 */
export async function processInbox(
  env: Env,
  shop: string,
  platform: OrderPlatform,
  deliveryId: string,
  now = Date.now(),
  dispatch?: Dispatch,
  doFetch: typeof fetch = fetch,
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
  let normalised: OrderEventInput;
  try {
    normalised = normalise(shop, platform, topic, body);
  } catch (e) {
    if (e instanceof IgnoredTopic) {
      await finish("done");
      return "ignored";
    }
    await finish("rejected", e instanceof Error ? e.message.slice(0, 1000) : "unreadable body");
    return "rejected";
  }
  try {
    const event = normalised.fetch ? await fetched(env, shop, normalised, doFetch) : normalised;
    await applyOrderEvent(env, shop, event, now, dispatch);
  } catch (e) {
    // The order the event named turned out to be no order yet (a BigCommerce checkout).
    if (e instanceof IgnoredTopic) {
      await finish("done");
      return "ignored";
    }
    if (e instanceof ConnectorError && !e.retryable) {
      await finish("rejected", e.message.slice(0, 1000));
      return "rejected";
    }
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
export async function sweepInbox(env: Env, now: number, minAgeMs = 30_000, limit = 200, doFetch: typeof fetch = fetch): Promise<number> {
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
    const r = z.object({ shop_id: z.string(), platform: OrderPlatform, delivery_id: z.string() }).parse(raw);
    try {
      if ((await processInbox(env, r.shop_id, r.platform, r.delivery_id, now, undefined, doFetch)) !== "skipped") done++;
    } catch (e) {
      console.error("inbox sweep", r.delivery_id, e);
    }
  }
  return done;
}
