import { z } from "zod";
import { deliverErpReturn } from "./account/deliver-return";
import { ConnectorError } from "./connectors/connector";
import { connectorFor } from "./connectors/registry";
import { platformApi } from "./connectors/settings";
import { Shipment } from "./contract";
import { OrderPlatform } from "./contract/orders";
import { getOrderByRef } from "./db/orders";
import { getShop, type Shop } from "./db/shops";
import { withTrackingUrls } from "./domain/tracking";
import { publishOrders } from "./hub/publish";
import { backoffSeconds } from "./orders/backoff";
import { type Delivery, enqueue, LEASE_MS, markDelivered, markFailed, startAttempt } from "./orders/deliveries";
import { processInbox } from "./orders/inbox";
import { limiter } from "./orders/limit";
import { effectiveOrder, MergedOrder } from "./orders/merge";
import { OrdersMessage } from "./orders/messages";
import type { ErpOrder, OrderEvent } from "./orders/model";
import { heldAllocationsQuery, parseHeldAllocations } from "./orders/reserve";
import { toPlatformSkus } from "./orders/resolve-skus";
import { failureMessage } from "./outbound/failure-message";
import { platformApiFor, platformNamed } from "./platforms/registry";
import { onD1, onShop, withPool } from "./pool/plane";

/** Keep in step with `max_retries` of the backroom-orders consumer in wrangler.toml. */
export const MAX_RETRIES = 8;
/**
 * Delivery attempts (each calls out to an ERP or platform) running at once in one invocation: a
 * Worker keeps at most 6 outbound connections open, and an attempt waiting for one would spend its
 * timeout waiting. The D1 work of a batch (up to `max_batch_size` orders) runs all at once.
 */
export const OUTBOUND_CONCURRENCY = 6;
export const ORDERS_QUEUE = "backroom-orders";
export const ORDERS_DLQ = "backroom-orders-dlq";

type Outcome = { ack: true } | { ack: false; delaySeconds: number };

/** The order as the ERP should see it now, with the warehouses its lines were reserved in. */
async function orderForErp(db: D1Database, shop: string, orderRef: string): Promise<ErpOrder | undefined> {
  const [stateResult, heldResult] = await db.batch([
    db.prepare("SELECT state FROM shop_orders WHERE shop_id = ? AND order_ref = ?").bind(shop, orderRef),
    heldAllocationsQuery(db, shop, orderRef),
  ]);
  const raw = stateResult?.results[0];
  if (!raw) return undefined;
  const order = effectiveOrder(MergedOrder.parse(JSON.parse(z.object({ state: z.string() }).parse(raw).state)));
  if (!order) return undefined;
  const held = parseHeldAllocations(heldResult);
  return {
    ...order,
    lines: order.lines.map((l) => {
      const h = held.get(l.lineId);
      return h ? { ...l, allocations: h.allocations, ...(h.backordered ? { backordered: true } : {}) } : l;
    }),
  };
}

async function deliverErpOrder(env: Env, shop: Shop, d: Delivery, doFetch: typeof fetch): Promise<{ result: string | undefined; also: D1PreparedStatement[] }> {
  const connector = await connectorFor({ env, shop, fetch: doFetch });
  if (!connector) throw new ConnectorError(true, "No ERP connector is configured for this shop");
  const order = await orderForErp(env.DB, shop.id, d.order_ref);
  if (!order) throw new ConnectorError(false, `Order ${d.order_ref} is not known at the edge`);
  const { erpRef } = await connector.pushOrder(order, d.id, z.enum(["order.created", "order.updated", "order.cancelled"]).parse(d.event) satisfies OrderEvent);
  const also = erpRef
    ? [env.DB.prepare("UPDATE orders SET erp_ref = COALESCE(erp_ref, ?) WHERE shop_id = ? AND order_ref = ?").bind(erpRef, shop.id, d.order_ref)]
    : [];
  return { result: erpRef, also };
}

async function deliverFulfilment(env: Env, shop: Shop, d: Delivery, doFetch: typeof fetch): Promise<string> {
  // The carrier's tracking URL is filled in from the number when the ERP sent none.
  const [shipment] = withTrackingUrls([Shipment.parse(JSON.parse(d.payload))]);
  if (!shipment) throw new ConnectorError(false, "Empty shipment");
  const row = await env.DB.prepare("SELECT platform FROM shop_orders WHERE shop_id = ? AND order_ref = ?").bind(shop.id, d.order_ref).first();
  const platform = OrderPlatform.safeParse(row?.platform);
  if (!platform.success) throw new ConnectorError(false, `Order ${d.order_ref} did not come from a shop platform`);
  const api = await platformApi(env, shop.id);
  if (api?.kind !== platform.data) throw new ConnectorError(false, `No enabled ${platformNamed(platform.data).label} platform connector for this shop`);
  const [order, lines] = await Promise.all([getOrderByRef(env.DB, shop.id, d.order_ref), orderForErp(env.DB, shop.id, d.order_ref)]);
  const shipped = order !== undefined && ["shipped", "delivered"].includes(order.status);
  // The ERP names shipped items by its SKUs; the platform's lines carry the platform's (aliases).
  return platformApiFor(api, doFetch).createFulfilment(d.order_ref, toPlatformSkus(shipment, lines?.lines ?? []), shipped);
}

/** One attempt at one delivery; answers what the queue should do with its message. */
export async function attemptDelivery(env: Env, id: string, queueAttempt: number, doFetch: typeof fetch, now = Date.now()): Promise<Outcome> {
  const d = await startAttempt(env.DB, id, now);
  if (d === "delivered") return { ack: true };
  // A twin message is attempting it right now; look again once its lease would have run out.
  if (d === "busy") return { ack: false, delaySeconds: Math.ceil(LEASE_MS / 1000) };
  const shop = await getShop(env.DB, d.shop_id);
  const outcome = await attemptClaimed(env, shop, d, queueAttempt, doFetch);
  // Staff watching the order see the outcome as it lands.
  await publishOrders(env, d.shop_id, [d.order_ref]);
  return outcome;
}

async function attemptClaimed(env: Env, shop: Shop | undefined, d: Delivery, queueAttempt: number, doFetch: typeof fetch): Promise<Outcome> {
  const id = d.id;
  try {
    if (!shop) throw new ConnectorError(false, `Shop ${d.shop_id} no longer exists`);
    const { result, also } =
      d.kind === "erp_order"
        ? await deliverErpOrder(env, shop, d, doFetch)
        : d.kind === "erp_return"
          ? await deliverErpReturn(env, shop, d, doFetch)
          : { result: await deliverFulfilment(env, shop, d, doFetch), also: [] };
    await markDelivered(env.DB, id, result, Date.now(), also);
    return { ack: true };
  } catch (e) {
    const retryable = !(e instanceof ConnectorError) || e.retryable;
    const message = failureMessage(e);
    if (!retryable) {
      await markFailed(env.DB, id, "failed", message, Date.now());
      return { ack: true };
    }
    await markFailed(env.DB, id, "retrying", message, Date.now());
    return { ack: false, delaySeconds: backoffSeconds(queueAttempt, e instanceof ConnectorError ? e.retryAfterSeconds : undefined) };
  }
}

/**
 * The first attempt at a delivery this invocation just created, made at once instead of through a
 * second queue message (which would wait behind every order queued meanwhile). When it does not
 * succeed, its queue message carries the retries with the attempt's backoff; should even that send
 * fail, the error reaches the caller and the cron's stuck-delivery sweep sends it later.
 */
async function deliverNow(env: Env, id: string, doFetch: typeof fetch): Promise<void> {
  let delaySeconds: number | undefined;
  try {
    const outcome = await attemptDelivery(env, id, 1, doFetch);
    if (outcome.ack) return;
    delaySeconds = outcome.delaySeconds;
  } catch (e) {
    console.error("orders queue: first attempt", id, e);
  }
  await enqueue(env, id, delaySeconds);
}

/**
 * `env` on the pool a message belongs to: a delivery names its pool, an inbox entry its shop. A
 * delivery without a pool belongs to a pool whose data is still in D1 (not migrated yet).
 */
async function messageEnv(env: Env, body: OrdersMessage): Promise<Env> {
  if ("inbox" in body) return onShop(env, body.inbox.shop);
  return body.pool === undefined ? onD1(env) : withPool(env, body.pool);
}

/**
 * The `backroom-orders` consumer: every message is acked or retried on its own, so one poison
 * delivery never holds back the rest of its batch. An inbox message turns its webhook into an order
 * (reserved, its ERP delivery recorded) and makes the delivery's first attempt right away.
 */
export async function consumeOrders(batch: MessageBatch<unknown>, root: Env, doFetch: typeof fetch = fetch): Promise<void> {
  const outbound = limiter(OUTBOUND_CONCURRENCY);
  await Promise.all(
    batch.messages.map(async (msg) => {
      const parsed = OrdersMessage.safeParse(msg.body);
      if (!parsed.success) {
        console.error("orders queue: unreadable message", msg.id);
        msg.ack();
        return;
      }
      const body = parsed.data;
      try {
        const env = await messageEnv(root, body);
        if ("inbox" in body) {
          const created: string[] = [];
          await processInbox(
            env,
            body.inbox.shop,
            body.inbox.platform,
            body.inbox.deliveryId,
            Date.now(),
            async (id) => {
              created.push(id);
            },
            doFetch,
          );
          for (const id of created) await outbound(() => deliverNow(env, id, doFetch));
          msg.ack();
          return;
        }
        const outcome = await outbound(() => attemptDelivery(env, body.delivery, msg.attempts, doFetch));
        if (outcome.ack) msg.ack();
        else msg.retry({ delaySeconds: outcome.delaySeconds });
      } catch (e) {
        // D1 itself failed (or the inbox entry could not be applied): try again later.
        console.error("orders queue", JSON.stringify(body), e);
        msg.retry({ delaySeconds: backoffSeconds(msg.attempts) });
      }
    }),
  );
}

/** The dead-letter consumer: retries are exhausted; the delivery is failed with its last error, for staff to replay (an inbox entry is rejected). */
export async function consumeDeadLetters(batch: MessageBatch<unknown>, root: Env): Promise<void> {
  for (const msg of batch.messages) {
    const parsed = OrdersMessage.safeParse(msg.body);
    if (!parsed.success) {
      msg.ack();
      continue;
    }
    const env = await messageEnv(root, parsed.data);
    if ("delivery" in parsed.data) {
      const failed = await env.DB.prepare(
        "UPDATE deliveries SET status = 'failed', last_error = COALESCE(last_error, 'retries exhausted'), updated_at = ? WHERE id = ? AND status <> 'delivered' RETURNING shop_id, order_ref",
      )
        .bind(Date.now(), parsed.data.delivery)
        .first();
      const row = z.object({ shop_id: z.string(), order_ref: z.string() }).safeParse(failed);
      // Staff watching the order see it turn from retrying to failed.
      if (row.success) await publishOrders(env, row.data.shop_id, [row.data.order_ref]);
    } else {
      const { shop, platform, deliveryId } = parsed.data.inbox;
      await env.DB.prepare(
        "UPDATE order_inbox SET state = 'rejected', error = COALESCE(error, 'retries exhausted') WHERE shop_id = ? AND platform = ? AND delivery_id = ? AND state <> 'done'",
      )
        .bind(shop, platform, deliveryId)
        .run();
    }
    msg.ack();
  }
}

/** The worker's `queue` handler: routes each queue's batches to its consumer. */
export async function handleQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  if (batch.queue === ORDERS_DLQ) return consumeDeadLetters(batch, env);
  return consumeOrders(batch, env);
}
