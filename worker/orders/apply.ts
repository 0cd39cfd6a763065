import { z } from "zod";
import { rememberPlatformIds } from "../db/platform-ids";
import type { OrderEventInput } from "../platforms/platform";
import { createDeliveryIfClaimed, deliveryId, enqueue } from "./deliveries";
import { effectiveOrder, fromEvent, MergedOrder, mergeOrders, revisionOf } from "./merge";
import { type ErpOrder, type OrderEvent, RELEASING_STATUSES } from "./model";
import { followLines, type LineReservation, releaseReservations } from "./reserve";
import { resolveOrderSkus } from "./resolve-skus";
import { parseWarehousePriority, warehousePriorityQuery } from "./settings";
import { stockChanged } from "./stock-changed";

/**
 * Turns one platform event into the edge's state: merge it into the stored order (compare-and-set,
 * so concurrent twins converge), write the customer-visible order row, make the held stock follow the
 * order's lines (its first reservation, then every edit) or release it, and queue an ERP delivery
 * when the order as the ERP should see it has changed.
 */

const StoredRow = z.object({ state: z.string(), rev: z.number(), queued_revision: z.string().nullable(), reservation: z.string() });
type Stored = z.infer<typeof StoredRow> & { merged: MergedOrder };

export interface ApplyResult {
  order: ErpOrder | undefined;
  /** SKUs whose availability changed (reserved or released). */
  touchedSkus: string[];
  reservations: LineReservation[];
  /** The ERP delivery queued by this event, if any. */
  delivery: string | undefined;
}

const storedQuery = (db: D1Database, shop: string, orderRef: string) =>
  db.prepare("SELECT state, rev, queued_revision, reservation FROM shop_orders WHERE shop_id = ? AND order_ref = ?").bind(shop, orderRef);

function parseStored(raw: unknown): Stored | undefined {
  if (!raw) return undefined;
  const r = StoredRow.parse(raw);
  return { ...r, merged: MergedOrder.parse(JSON.parse(r.state)) };
}

async function loadStored(db: D1Database, shop: string, orderRef: string): Promise<Stored | undefined> {
  return parseStored(await storedQuery(db, shop, orderRef).first());
}

/** Statements writing the order where the customer lookup and the staff view read it. */
function customerFacingOrder(db: D1Database, shop: string, order: ErpOrder, now: number): D1PreparedStatement[] {
  const created = Date.parse(order.createdAt);
  // Version 0 and COALESCE: the ERP's versioned pushes (ms timestamps) always win over what the shop said.
  const stmts = [
    db
      .prepare(
        `INSERT INTO orders (shop_id, order_ref, order_number, email, status, shipments, at, version, updated_at)
         VALUES (?, ?, ?, ?, 'received', '[]', ?, 0, ?)
         ON CONFLICT (shop_id, order_ref) DO UPDATE SET order_number = COALESCE(orders.order_number, excluded.order_number),
           email = COALESCE(orders.email, excluded.email)`,
      )
      .bind(shop, order.orderRef, order.orderNumber ?? null, order.email ?? null, created, now),
    db
      .prepare("INSERT INTO order_timeline (shop_id, order_ref, status, at) VALUES (?, ?, 'received', ?) ON CONFLICT DO NOTHING")
      .bind(shop, order.orderRef, created),
  ];
  if (order.status === "cancelled") {
    const at = Date.parse(order.cancelledAt ?? order.updatedAt);
    stmts.push(
      db
        .prepare("UPDATE orders SET status = 'cancelled', at = ?, updated_at = ? WHERE shop_id = ? AND order_ref = ? AND version = 0")
        .bind(at, now, shop, order.orderRef),
      db
        .prepare("INSERT INTO order_timeline (shop_id, order_ref, status, at) VALUES (?, ?, 'cancelled', ?) ON CONFLICT DO NOTHING")
        .bind(shop, order.orderRef, at),
    );
  }
  return stmts;
}

/** Merges the event into the stored order; answers the state before and after. Retries on a lost race. */
async function mergeAndStore(db: D1Database, shop: string, e: OrderEventInput, now: number) {
  const incoming = fromEvent(e);
  for (let attempt = 0; attempt < 50; attempt++) {
    const before = await loadStored(db, shop, e.orderRef);
    const merged = before ? mergeOrders(before.merged, incoming) : incoming;
    const state = JSON.stringify(merged);
    const effective = effectiveOrder(merged);
    const side = [
      ...(effective ? customerFacingOrder(db, shop, effective, now) : []),
      ...rememberPlatformIds(db, shop, "order", [{ platformId: e.orderRef, value: e.orderRef }], now),
      ...rememberPlatformIds(db, shop, "product", e.ids.products, now),
      ...rememberPlatformIds(db, shop, "variant", e.ids.variants, now),
    ];
    if (before && before.state === state) {
      await db.batch(side);
      return { before, merged, effective, changed: false };
    }
    const write = before
      ? db
          .prepare("UPDATE shop_orders SET state = ?, rev = rev + 1, updated_at = ? WHERE shop_id = ? AND order_ref = ? AND rev = ?")
          .bind(state, now, shop, e.orderRef, before.rev)
      : db
          .prepare("INSERT INTO shop_orders (shop_id, order_ref, platform, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
          .bind(shop, e.orderRef, e.platform, state, now, now);
    const [res] = await db.batch([write, ...side]);
    if ((res?.meta.changes ?? 0) === 1) return { before, merged, effective, changed: true };
  }
  throw new Error(`order ${e.orderRef}: too many concurrent updates`);
}

/** Releases an order's stock and records why; answers the SKUs that changed. */
export async function releaseOrder(
  db: D1Database,
  shop: string,
  orderRef: string,
  reason: "cancelled" | "erp_confirmed" | "expired",
  now: number,
): Promise<string[]> {
  const skus = await releaseReservations(db, shop, orderRef, now);
  await db
    .prepare(
      `UPDATE shop_orders SET reservation = ?, released_at = ?, release_reason = ?
       WHERE shop_id = ? AND order_ref = ? AND reservation IN ('none', 'reserving', 'held')`,
    )
    .bind(reason === "expired" ? "expired" : "released", now, reason, shop, orderRef)
    .run();
  return skus;
}

/**
 * Makes the order's held stock follow its current lines: its first reservation and every edit after.
 * The reservation state is the order's lock ('none' | 'held' | 'empty' → 'reserving', by compare-and-set),
 * taken only while the ERP has not confirmed the order (from then on the ERP's committed counts it).
 * The holder follows the stored merge, never the event that woke it, so a replayed or older revision
 * (which the merge ignores) changes nothing; it hands the lock back only if the merge's rev is still
 * the one it followed, else it follows the newer lines first. So an event that finds the lock taken
 * can leave: the holder is bound to see its merge.
 */
async function followOrder(db: D1Database, shop: string, orderRef: string, now: number) {
  const [claim, priority, stored] = await db.batch([
    db
      .prepare(
        `UPDATE shop_orders SET reservation = 'reserving', reserved_at = COALESCE(reserved_at, ?3)
         WHERE shop_id = ?1 AND order_ref = ?2 AND reservation IN ('none', 'held', 'empty')
           AND NOT EXISTS (SELECT 1 FROM orders WHERE shop_id = ?1 AND order_ref = ?2 AND status IN (SELECT value FROM json_each(?4)))`,
      )
      .bind(shop, orderRef, now, JSON.stringify(RELEASING_STATUSES)),
    warehousePriorityQuery(db, shop),
    storedQuery(db, shop, orderRef),
  ]);
  const reservations: LineReservation[] = [];
  const skus = new Set<string>();
  const answer = (after: Stored | undefined) => ({ reservations, skus: [...skus], after });
  if (claim?.meta.changes !== 1) return answer(undefined);
  let current = parseStored(stored?.results[0]);
  for (let round = 1; current; round++) {
    const order = effectiveOrder(current.merged);
    // A cancellation merged meanwhile wins: give everything back (this also ends the lock).
    if (!order || current.merged.cancelled) {
      for (const s of await releaseOrder(db, shop, orderRef, "cancelled", now)) skus.add(s);
      return answer(current);
    }
    const r = await followLines(db, shop, orderRef, order.lines, parseWarehousePriority(priority), now);
    reservations.push(...r.reservations);
    for (const s of r.skus) skus.add(s);
    // 'empty' when nothing could be taken: there is nothing to release or expire.
    const [done, after] = await db.batch([
      db
        .prepare(
          `UPDATE shop_orders SET reservation = CASE WHEN EXISTS (SELECT 1 FROM reservations WHERE shop_id = ?1 AND order_ref = ?2 AND state = 'held') THEN 'held' ELSE 'empty' END
           WHERE shop_id = ?1 AND order_ref = ?2 AND reservation = 'reserving' AND (rev = ?3 OR ?4)`,
        )
        .bind(shop, orderRef, current.rev, round >= 50 ? 1 : 0),
      storedQuery(db, shop, orderRef),
    ]);
    const next = parseStored(after?.results[0]);
    if (done?.meta.changes === 1) return answer(next);
    // An ERP confirmation (or a cancel) released the order meanwhile: give back what this round took too.
    if (next?.reservation !== "reserving") {
      for (const s of await releaseReservations(db, shop, orderRef, now)) skus.add(s);
      return answer(next);
    }
    current = next;
  }
  return answer(current);
}

/** Sends a delivery this event created on its way: by default its queue message. */
export type Dispatch = (deliveryId: string) => Promise<void>;

/** Queues one ERP delivery per distinct revision of the order; the revision is claimed by compare-and-set. */
async function queueIfChanged(
  env: Env,
  shop: string,
  order: ErpOrder,
  known: Stored | undefined,
  now: number,
  dispatch: Dispatch,
): Promise<string | undefined> {
  const revision = await revisionOf(order);
  for (let attempt = 0; attempt < 10; attempt++) {
    const stored = attempt === 0 && known ? known : await loadStored(env.DB, shop, order.orderRef);
    if (!stored || stored.queued_revision === revision) return undefined;
    const event: OrderEvent = order.status === "cancelled" ? "order.cancelled" : stored.queued_revision === null ? "order.created" : "order.updated";
    const id = await deliveryId("ord", shop, order.orderRef, event, revision);
    // Claim the revision and create its delivery in one transaction; the INSERT only runs if the claim won.
    const [claimed, created] = await env.DB.batch([
      env.DB.prepare("UPDATE shop_orders SET queued_revision = ? WHERE shop_id = ? AND order_ref = ? AND queued_revision IS ?").bind(
        revision,
        shop,
        order.orderRef,
        stored.queued_revision,
      ),
      createDeliveryIfClaimed(env.DB, { id, shop, kind: "erp_order", orderRef: order.orderRef, event }, now),
    ]);
    if (claimed?.meta.changes !== 1) continue;
    if (created?.meta.changes === 1) await dispatch(id);
    return id;
  }
  return undefined;
}

/**
 * `dispatch` sends the ERP delivery this event created (if any); by default its queue message. The
 * queue consumer passes its own, to attempt the delivery right away in the same invocation.
 */
export async function applyOrderEvent(
  env: Env,
  shop: string,
  e: OrderEventInput,
  now: number,
  dispatch: Dispatch = (id) => enqueue(env, id),
): Promise<ApplyResult> {
  e = await resolveOrderSkus(env.DB, shop, e);
  const { merged, effective } = await mergeAndStore(env.DB, shop, e, now);
  const touched = new Set<string>();
  let reservations: LineReservation[] = [];
  let latest: Stored | undefined;
  if (effective && !merged.cancelled) {
    const r = await followOrder(env.DB, shop, e.orderRef, now);
    reservations = r.reservations;
    latest = r.after;
    for (const s of r.skus) touched.add(s);
  }
  if (merged.cancelled) for (const s of await releaseOrder(env.DB, shop, e.orderRef, "cancelled", now)) touched.add(s);
  // Queue what the ERP should see now (the latest merge, which may include a concurrent event's news).
  latest ??= await loadStored(env.DB, shop, e.orderRef);
  const current = latest ? effectiveOrder(latest.merged) : effective;
  const delivery = current ? await queueIfChanged(env, shop, current, latest, now, dispatch) : undefined;
  if (touched.size > 0) await stockChanged(env, shop, [...touched]);
  return { order: current, touchedSkus: [...touched], reservations, delivery };
}
