import { z } from "zod";
import type { SyncDelivery, SyncHealth } from "../contract/orders";
import { toHex } from "../domain/encoding";
import { sha256 } from "../domain/hmac";
import { planePool } from "../pool/plane";
import type { OrdersMessage } from "./messages";

/**
 * Outbound deliveries (orders to the ERP, fulfilments to the platform). The row is the truth; the
 * queue message only says "try this one now", so duplicates of a message are harmless: a delivered
 * row is never delivered again.
 */

/** `erp_return`: a return the buyer filed (issue 13, worker/account/). */
export type DeliveryKind = "erp_order" | "fulfilment" | "erp_return";

const Row = z.object({
  id: z.string(),
  shop_id: z.string(),
  kind: z.enum(["erp_order", "fulfilment", "erp_return"]),
  order_ref: z.string(),
  event: z.string(),
  payload: z.string(),
  status: z.enum(["pending", "retrying", "delivered", "failed"]),
  attempts: z.number(),
  last_error: z.string().nullable(),
  result: z.string().nullable(),
  created_at: z.number(),
  updated_at: z.number(),
});
export type Delivery = z.infer<typeof Row>;

/** A stable id (and idempotency key) for one piece of work: the same inputs always give the same id. */
export async function deliveryId(prefix: "ord" | "ful", ...parts: string[]): Promise<string> {
  return `${prefix}_${toHex(await sha256(JSON.stringify(parts))).slice(0, 24)}`;
}

/** Creates the delivery unless it exists; true when this call created it. */
export async function createDelivery(
  db: D1Database,
  d: { id: string; shop: string; kind: DeliveryKind; orderRef: string; event: string; payload?: unknown },
  now: number,
): Promise<boolean> {
  const res = await db
    .prepare(
      `INSERT INTO deliveries (id, shop_id, kind, order_ref, event, payload, status, attempts, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?) ON CONFLICT (id) DO NOTHING`,
    )
    .bind(d.id, d.shop, d.kind, d.orderRef, d.event, JSON.stringify(d.payload ?? {}), now, now)
    .run();
  return res.meta.changes === 1;
}

/**
 * The same insert as `createDelivery`, as a statement for the caller's batch that only inserts when
 * the statement right before it changed a row (e.g. a compare-and-set that claimed the work).
 */
export function createDeliveryIfClaimed(
  db: D1Database,
  d: { id: string; shop: string; kind: DeliveryKind; orderRef: string; event: string; payload?: unknown },
  now: number,
) {
  return db
    .prepare(
      `INSERT INTO deliveries (id, shop_id, kind, order_ref, event, payload, status, attempts, created_at, updated_at)
       SELECT ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ? WHERE changes() = 1 ON CONFLICT (id) DO NOTHING`,
    )
    .bind(d.id, d.shop, d.kind, d.orderRef, d.event, JSON.stringify(d.payload ?? {}), now, now);
}

export async function getDelivery(db: D1Database, id: string): Promise<Delivery | undefined> {
  const raw = await db.prepare("SELECT * FROM deliveries WHERE id = ?").bind(id).first();
  return raw ? Row.parse(raw) : undefined;
}

/**
 * How long one attempt holds its delivery before another consumer may try (the holder died).
 * Well above the connector's own timeout, so a slow but live attempt is never doubled.
 */
export const LEASE_MS = 120_000;

/**
 * Claims one attempt: counts it and leases the delivery so no twin message attempts it at the same
 * time. Answers the delivery as claimed, "delivered", or "busy" (another attempt holds the lease).
 */
export async function startAttempt(db: D1Database, id: string, now: number): Promise<Delivery | "delivered" | "busy"> {
  const row = await db
    .prepare(
      "UPDATE deliveries SET attempts = attempts + 1, lease_until = ?, updated_at = ? WHERE id = ? AND status <> 'delivered' AND COALESCE(lease_until, 0) < ? RETURNING *",
    )
    .bind(now + LEASE_MS, now, id, now)
    .first();
  if (row) return Row.parse(row);
  const d = await getDelivery(db, id);
  return !d || d.status === "delivered" ? "delivered" : "busy";
}

/** Appends the attempt that just ended to the delivery's history (same transaction as its outcome). */
const recordAttempt = (db: D1Database, id: string, outcome: "delivered" | "retrying" | "failed", error: string | null, now: number) =>
  db
    .prepare("INSERT OR REPLACE INTO delivery_attempts (delivery_id, attempt, at, outcome, error) SELECT id, attempts, ?, ?, ? FROM deliveries WHERE id = ?")
    .bind(now, outcome, error, id);

/** Marks a delivery delivered; `also` are statements to commit in the same transaction. */
export async function markDelivered(db: D1Database, id: string, result: string | undefined, now: number, also: D1PreparedStatement[] = []): Promise<void> {
  await db.batch([
    db
      .prepare("UPDATE deliveries SET status = 'delivered', lease_until = NULL, last_error = NULL, result = ?, delivered_at = ?, updated_at = ? WHERE id = ?")
      .bind(result ?? null, now, now, id),
    recordAttempt(db, id, "delivered", null, now),
    ...also,
  ]);
}

/** Records a failed attempt: `retrying` while the queue will try again, `failed` when it will not. */
export async function markFailed(db: D1Database, id: string, status: "retrying" | "failed", error: string, now: number): Promise<void> {
  await db.batch([
    db
      .prepare("UPDATE deliveries SET status = ?, lease_until = NULL, last_error = ?, updated_at = ? WHERE id = ? AND status <> 'delivered'")
      .bind(status, error.slice(0, 1000), now, id),
    recordAttempt(db, id, status, error.slice(0, 1000), now),
  ]);
}

/** Sends the queue message for a delivery. */
export async function enqueue(env: Env, id: string, delaySeconds?: number): Promise<void> {
  const pool = await planePool(env);
  await env.ORDERS_QUEUE.send({ delivery: id, ...(pool ? { pool } : {}) } satisfies OrdersMessage, delaySeconds ? { delaySeconds } : undefined);
}

/**
 * Puts a failed (or stuck) delivery back on the queue: a new queue message, so a fresh retry budget,
 * while the delivery keeps counting its attempts (and their history) across replays.
 */
export async function replayDelivery(env: Env, shop: string, id: string, now: number): Promise<Delivery | undefined> {
  const row = await env.DB.prepare(
    "UPDATE deliveries SET status = 'pending', lease_until = NULL, updated_at = ? WHERE id = ? AND shop_id = ? AND status <> 'delivered' RETURNING *",
  )
    .bind(now, id, shop)
    .first();
  if (!row) {
    const existing = await getDelivery(env.DB, id);
    return existing && existing.shop_id === shop ? existing : undefined;
  }
  await enqueue(env, id);
  return Row.parse(row);
}

const iso = (ms: number) => new Date(ms).toISOString();

const AttemptRow = z.object({
  delivery_id: z.string(),
  attempt: z.number(),
  at: z.number(),
  outcome: z.enum(["delivered", "retrying", "failed"]),
  error: z.string().nullable(),
});

/** One order's deliveries (to the ERP, and its fulfilments to the platform), newest first, each with its attempts. */
export async function listOrderDeliveries(db: D1Database, shop: string, orderRef: string): Promise<SyncDelivery[]> {
  const [deliveries, attempts] = await db.batch([
    db.prepare("SELECT * FROM deliveries WHERE shop_id = ? AND order_ref = ? ORDER BY created_at DESC, id LIMIT 50").bind(shop, orderRef),
    db
      .prepare(
        `SELECT a.* FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id
         WHERE d.shop_id = ? AND d.order_ref = ? ORDER BY a.delivery_id, a.attempt LIMIT 500`,
      )
      .bind(shop, orderRef),
  ]);
  const history = new Map<string, NonNullable<SyncDelivery["history"]>>();
  for (const raw of attempts?.results ?? []) {
    const a = AttemptRow.parse(raw);
    const list = history.get(a.delivery_id) ?? [];
    list.push({ attempt: a.attempt, at: iso(a.at), outcome: a.outcome, ...(a.error ? { error: a.error } : {}) });
    history.set(a.delivery_id, list);
  }
  return (deliveries?.results ?? []).map((raw) => {
    const d = toSyncDelivery(Row.parse(raw));
    return { ...d, history: history.get(d.id) ?? [] };
  });
}

export const toSyncDelivery = (d: Delivery): SyncDelivery => ({
  id: d.id,
  kind: d.kind,
  orderRef: d.order_ref,
  event: d.event,
  status: d.status,
  attempts: d.attempts,
  ...(d.last_error ? { lastError: d.last_error } : {}),
  createdAt: iso(d.created_at),
  updatedAt: iso(d.updated_at),
});

/** The queue's health for one shop, as staff see it. */
export async function syncHealth(db: D1Database, shop: string, now: number): Promise<SyncHealth> {
  const [counts, failures, expired, inbox] = await db.batch([
    db
      .prepare(
        `SELECT
           sum(status = 'pending') AS pending, sum(status = 'retrying') AS retrying, sum(status = 'failed') AS failed, sum(status = 'delivered') AS delivered,
           min(CASE WHEN status IN ('pending', 'retrying') THEN created_at END) AS oldest
         FROM deliveries WHERE shop_id = ?`,
      )
      .bind(shop),
    // Failed first (they wait for a human), then those the queue is still retrying.
    db
      .prepare("SELECT * FROM deliveries WHERE shop_id = ? AND status IN ('failed', 'retrying') ORDER BY status = 'failed' DESC, updated_at DESC LIMIT 50")
      .bind(shop),
    db
      .prepare(
        `SELECT so.order_ref, o.order_number, so.released_at FROM shop_orders so LEFT JOIN orders o ON o.shop_id = so.shop_id AND o.order_ref = so.order_ref
         WHERE so.shop_id = ? AND so.reservation = 'expired' ORDER BY so.released_at DESC LIMIT 50`,
      )
      .bind(shop),
    db.prepare("SELECT count(*) AS n FROM order_inbox WHERE shop_id = ? AND state IN ('received', 'processing')").bind(shop),
  ]);
  const c = z
    .object({
      pending: z.number().nullable(),
      retrying: z.number().nullable(),
      failed: z.number().nullable(),
      delivered: z.number().nullable(),
      oldest: z.number().nullable(),
    })
    .parse(counts?.results[0] ?? {});
  return {
    pending: c.pending ?? 0,
    retrying: c.retrying ?? 0,
    failed: c.failed ?? 0,
    delivered: c.delivered ?? 0,
    oldestAgeSeconds: c.oldest === null ? 0 : Math.max(0, Math.floor((now - c.oldest) / 1000)),
    failures: (failures?.results ?? []).map((r) => toSyncDelivery(Row.parse(r))),
    expiredReservations: (expired?.results ?? []).map((r) => {
      const e = z.object({ order_ref: z.string(), order_number: z.string().nullable(), released_at: z.number().nullable() }).parse(r);
      return { orderRef: e.order_ref, ...(e.order_number ? { orderNumber: e.order_number } : {}), expiredAt: iso(e.released_at ?? now) };
    }),
    inboundBacklog: z.object({ n: z.number() }).parse(inbox?.results[0] ?? { n: 0 }).n,
  };
}
