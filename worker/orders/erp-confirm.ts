import { z } from "zod";
import { platformApi } from "../connectors/settings";
import { Shipment } from "../contract";
import { publishOrders } from "../hub/publish";
import { createDelivery, deliveryId, enqueue } from "./deliveries";
import { releaseOrder } from "./apply";
import { RELEASING_STATUSES } from "./model";
import { stockChanged } from "./stock-changed";

const Refs = z.object({ orders: z.array(z.object({ orderRef: z.string() }).loose()) });
const Stored = z.object({ order_ref: z.string(), status: z.string(), shipments: z.string(), platform: z.string(), reservation: z.string() });

/**
 * Runs after an ERP orders push was applied: for each platform order it names, reads what is now
 * stored (not what this push said, which may have been stale) and
 * - releases the reservation once the ERP status is `confirmed` or later (or cancelled);
 * - queues one fulfilment per shipment (keyed by tracking number) back to the shop platform.
 * Idempotent; the cron runs the release part too, as a backstop.
 */
export async function afterErpOrders(env: Env, shop: string, rawBody: string, now = Date.now()): Promise<void> {
  let parsed: z.infer<typeof Refs>;
  try {
    parsed = Refs.parse(JSON.parse(rawBody));
  } catch {
    return;
  }
  await afterErpOrderRefs(
    env,
    shop,
    parsed.orders.map((o) => o.orderRef),
    now,
  );
}

/**
 * The same for orders a pull connector just applied: run right after the page, so the edge's hold
 * ends in the very pull that brought the ERP's own reservation (the stock resource is pulled
 * before orders), never counted twice until a later cron.
 */
export async function afterErpOrderRefs(env: Env, shop: string, orderRefs: readonly string[], now = Date.now()): Promise<void> {
  const refs = [...new Set(orderRefs)];
  if (refs.length === 0) return;
  await publishOrders(env, shop, refs);
  const { results } = await env.DB.prepare(
    `SELECT o.order_ref, o.status, o.shipments, so.platform, so.reservation FROM orders o
     JOIN shop_orders so ON so.shop_id = o.shop_id AND so.order_ref = o.order_ref
     WHERE o.shop_id = ? AND o.order_ref IN (SELECT value FROM json_each(?))`,
  )
    .bind(shop, JSON.stringify(refs))
    .all();
  // Unsealed only when a shipment needs it: most pushes carry none.
  let api: ReturnType<typeof platformApi> | undefined;
  const touched: string[] = [];
  for (const raw of results) {
    const o = Stored.parse(raw);
    if ((RELEASING_STATUSES as readonly string[]).includes(o.status) && ["held", "reserving"].includes(o.reservation)) {
      touched.push(...(await releaseOrder(env.DB, shop, o.order_ref, o.status === "cancelled" ? "cancelled" : "erp_confirmed", now)));
    }
    const shipments = z.array(Shipment).parse(JSON.parse(o.shipments));
    if (shipments.length === 0) continue;
    // Fulfilments go back only to the platform whose API credentials the platform connector holds.
    api ??= platformApi(env, shop);
    if ((await api)?.kind !== o.platform) continue;
    for (const shipment of shipments) {
      const id = await deliveryId("ful", shop, o.order_ref, shipment.trackingNumber);
      if (await createDelivery(env.DB, { id, shop, kind: "fulfilment", orderRef: o.order_ref, event: "fulfilment", payload: shipment }, now))
        await enqueue(env, id);
    }
  }
  if (touched.length > 0) await stockChanged(env, shop, touched);
}

/** Backstop for a lost `afterErpOrders`: releases every held reservation whose order the ERP has confirmed. */
export async function releaseConfirmed(env: Env, now: number, limit = 500): Promise<number> {
  const { results } = await env.DB.prepare(
    `SELECT so.shop_id, so.order_ref, o.status FROM shop_orders so JOIN orders o ON o.shop_id = so.shop_id AND o.order_ref = so.order_ref
     WHERE so.reservation = 'held' AND o.status IN (${RELEASING_STATUSES.map(() => "?").join(", ")}) LIMIT ?`,
  )
    .bind(...RELEASING_STATUSES, limit)
    .all();
  for (const raw of results) {
    const r = z.object({ shop_id: z.string(), order_ref: z.string(), status: z.string() }).parse(raw);
    const skus = await releaseOrder(env.DB, r.shop_id, r.order_ref, r.status === "cancelled" ? "cancelled" : "erp_confirmed", now);
    if (skus.length > 0) await stockChanged(env, r.shop_id, skus);
  }
  return results.length;
}

/**
 * Releases reservations older than their shop's TTL that the ERP never confirmed; staff see them flagged as expired.
 * A 'reserving' order that old is a lock whose holder died mid-way: it expires too (a live holder that
 * loses its lock this way gives back what it took, as on a cancel).
 */
export async function expireReservations(env: Env, now: number, limit = 500): Promise<number> {
  const { results } = await env.DB.prepare(
    `SELECT so.shop_id, so.order_ref FROM shop_orders so LEFT JOIN shop_order_settings s ON s.shop_id = so.shop_id
     WHERE so.reservation IN ('held', 'reserving') AND so.reserved_at < ?1 - COALESCE(s.reservation_ttl_minutes, 1440) * 60000 ORDER BY so.reserved_at LIMIT ?2`,
  )
    .bind(now, limit)
    .all();
  for (const raw of results) {
    const r = z.object({ shop_id: z.string(), order_ref: z.string() }).parse(raw);
    const skus = await releaseOrder(env.DB, r.shop_id, r.order_ref, "expired", now);
    if (skus.length > 0) await stockChanged(env, r.shop_id, skus);
  }
  return results.length;
}
