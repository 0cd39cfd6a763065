import type { AccountReturn, ReturnRequest } from "../contract";
import type { Shop } from "../db/shops";
import { toHex } from "../domain/encoding";
import { ApiError } from "../http/error";
import { hit } from "../http/rate-limit";
import { enqueue } from "../orders/deliveries";
import type { Buyer } from "./buyer";
import { returnPhotoKey } from "./documents";
import { buyerOrder } from "./orders";
import { mergeLines, overReturned } from "./returnable";

/** Return requests one buyer may file an hour (each one reaches the ERP's people). */
export const RETURNS_PER_HOUR = 10;

/**
 * Records the return only if, at the moment of writing, every line still fits: delivered − what the
 * order's counting returns already hold. The check and the insert are one statement, so two requests
 * racing for the same units cannot both get them.
 */
const INSERT_IF_FITS = `
INSERT INTO account_returns (shop_id, return_ref, customer_id, order_ref, lines, reason, status, photo_key, requested_at, at, version, updated_at)
SELECT ?1, ?2, ?3, ?4, ?5, ?6, 'requested', ?7, ?8, ?8, 0, ?8
WHERE NOT EXISTS (
  SELECT 1 FROM json_each(?5) AS l
  WHERE (l.value ->> 'qty') > COALESCE((SELECT d.value FROM json_each(?9) AS d WHERE d.key = l.value ->> 'sku'), 0)
    - COALESCE((SELECT sum(rl.value ->> 'qty') FROM account_returns r, json_each(r.lines) AS rl
                WHERE r.shop_id = ?1 AND r.order_ref = ?4 AND r.status NOT IN ('rejected', 'cancelled') AND rl.value ->> 'sku' = l.value ->> 'sku'), 0))`;

// The delivery only when the return was written (the statement right before changed a row).
const DELIVERY_IF_INSERTED = `
INSERT INTO deliveries (id, shop_id, kind, order_ref, event, payload, status, attempts, created_at, updated_at)
SELECT ?, ?, 'erp_return', ?, 'return.requested', ?, 'pending', 0, ?, ? WHERE changes() = 1`;

const randomRef = () => `ret_${toHex(crypto.getRandomValues(new Uint8Array(12)))}`;

export interface Photo {
  bytes: Uint8Array;
  type: string;
}

/**
 * Files a return for one of the buyer's delivered orders: rate limited per buyer, quantities checked
 * against what was delivered and not yet returned, the photo (already type- and size-checked) kept in
 * R2, and the request queued to the ERP through the order pipeline's deliveries.
 */
export async function fileReturn(env: Env, shop: Shop, buyer: Buyer, req: ReturnRequest, photo: Photo | undefined, now: number): Promise<AccountReturn> {
  const limited = await hit(env.DB, `returns:${shop.id}:${buyer.id}`, 3600, now);
  if (limited.count > RETURNS_PER_HOUR) {
    throw new ApiError(429, "rate_limited", `At most ${RETURNS_PER_HOUR} return requests an hour`, { retryAfter: limited.retryAfter });
  }
  const order = await buyerOrder(env.DB, shop.id, buyer, req.orderRef);
  if (!order) throw new ApiError(404, "order_not_found", "No such order in this account");
  const lines = mergeLines(req.lines);
  const over = overReturned(lines, order.returnable);
  if (over.length > 0) throw new ApiError(422, "return_quantity_exceeded", "A line asks for more than was delivered and not yet returned", { lines: over });

  const returnRef = randomRef();
  const photoKey = photo ? returnPhotoKey(shop.id, returnRef) : null;
  if (photo && photoKey) await env.DOCUMENTS.put(photoKey, photo.bytes, { httpMetadata: { contentType: photo.type } });
  const deliveryId = `rtd_${returnRef.slice(4)}`;
  const [inserted] = await env.DB.batch([
    env.DB.prepare(INSERT_IF_FITS).bind(
      shop.id,
      returnRef,
      buyer.id,
      order.orderRef,
      JSON.stringify(lines),
      req.reason,
      photoKey,
      now,
      JSON.stringify(Object.fromEntries(order.delivered)),
    ),
    env.DB.prepare(DELIVERY_IF_INSERTED).bind(deliveryId, shop.id, order.orderRef, JSON.stringify({ returnRef }), now, now),
  ]);
  if (inserted?.meta.changes !== 1) {
    if (photoKey) await env.DOCUMENTS.delete(photoKey);
    throw new ApiError(409, "return_quantity_taken", "Another return took these units meanwhile; reload the order");
  }
  await enqueue(env, deliveryId);
  const at = new Date(now).toISOString();
  return { returnRef, orderRef: order.orderRef, lines, reason: req.reason, status: "requested", requestedAt: at, at, photo: photoKey !== null };
}
