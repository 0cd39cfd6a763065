import { z } from "zod";
import { type AccountOrder, type AccountReturn, OrderStatus, ReturnLine, ReturnStatus } from "../contract";
import { StoredShipments } from "../db/rows";
import { withTrackingUrls } from "../domain/tracking";
import { effectiveOrder, MergedOrder } from "../orders/merge";
import type { Buyer } from "./buyer";
import { deliveredBySku, type Line, returnable, returnedBySku, sumBySku } from "./returnable";

/**
 * A buyer's orders: those placed with the customer's email, and those the ERP named on the
 * customer's invoices or returns. Nothing else, whoever asks.
 */
const OWNED = `o.shop_id = ?1 AND (o.email = ?2
  OR o.order_ref IN (SELECT j.value FROM invoices i, json_each(i.order_refs) j WHERE i.shop_id = ?1 AND i.customer_id = ?3)
  OR o.order_ref IN (SELECT r.order_ref FROM account_returns r WHERE r.shop_id = ?1 AND r.customer_id = ?3 AND r.version > 0))`;

const OrderRow = z.object({
  order_ref: z.string(),
  order_number: z.string().nullable(),
  status: OrderStatus,
  at: z.number(),
  shipments: z.string(),
  state: z.string().nullable(),
});
const ReturnRowDb = z.object({
  return_ref: z.string(),
  rma_number: z.string().nullable(),
  order_ref: z.string(),
  lines: z.string(),
  reason: z.string().nullable(),
  status: ReturnStatus,
  photo_key: z.string().nullable(),
  requested_at: z.number(),
  at: z.number(),
});
const Lines = z.array(ReturnLine);

export const toAccountReturn = (raw: unknown): AccountReturn => {
  const r = ReturnRowDb.parse(raw);
  return {
    returnRef: r.return_ref,
    ...(r.rma_number ? { rmaNumber: r.rma_number } : {}),
    orderRef: r.order_ref,
    lines: Lines.parse(JSON.parse(r.lines)),
    ...(r.reason ? { reason: r.reason } : {}),
    status: r.status,
    requestedAt: new Date(r.requested_at).toISOString(),
    at: new Date(r.at).toISOString(),
    photo: r.photo_key !== null,
  };
};

/** The shop's own lines of the order (from its webhooks), when the edge saw them. */
function shopLines(state: string | null): Array<Line & { title?: string }> {
  if (!state) return [];
  const order = effectiveOrder(MergedOrder.parse(JSON.parse(state)));
  return (order?.lines ?? []).flatMap((l) => (l.sku && l.qty > 0 ? [{ sku: l.sku, qty: l.qty, title: l.title }] : []));
}

function toAccountOrder(r: z.infer<typeof OrderRow>, invoices: string[], returns: AccountReturn[]): AccountOrder & { delivered: Map<string, number> } {
  const shipments = withTrackingUrls(StoredShipments.parse(JSON.parse(r.shipments)));
  const own = shopLines(r.state);
  const lines = own.length > 0 ? own : [...sumBySku(shipments.flatMap((s) => s.items ?? []))].map(([sku, qty]) => ({ sku, qty }));
  const delivered = deliveredBySku(r.status, shipments, lines);
  return {
    orderRef: r.order_ref,
    ...(r.order_number ? { orderNumber: r.order_number } : {}),
    status: r.status,
    at: new Date(r.at).toISOString(),
    shipments,
    lines,
    returnable: returnable(delivered, returnedBySku(returns)),
    invoices,
    returns: returns.map((x) => ({ returnRef: x.returnRef, ...(x.rmaNumber ? { rmaNumber: x.rmaNumber } : {}), status: x.status })),
    delivered,
  };
}

const Cursor = z.tuple([z.number().int(), z.string()]);
const encodeCursor = (at: number, ref: string) => btoa(JSON.stringify([at, ref]));
function decodeCursor(cursor: string | undefined): [number, string] | undefined {
  if (!cursor) return undefined;
  try {
    const parsed = Cursor.safeParse(JSON.parse(atob(cursor)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Invoice numbers and returns of the given orders, for this buyer only. */
async function attachments(db: D1Database, shop: string, buyer: Buyer, refs: string[]) {
  const json = JSON.stringify(refs);
  const [inv, ret] = await db.batch([
    db
      .prepare(
        `SELECT j.value AS order_ref, i.number FROM invoices i, json_each(i.order_refs) j
         WHERE i.shop_id = ?1 AND i.customer_id = ?2 AND j.value IN (SELECT value FROM json_each(?3)) ORDER BY i.issued_at, i.number`,
      )
      .bind(shop, buyer.id, json),
    db
      .prepare("SELECT * FROM account_returns WHERE shop_id = ?1 AND customer_id = ?2 AND order_ref IN (SELECT value FROM json_each(?3)) ORDER BY requested_at")
      .bind(shop, buyer.id, json),
  ]);
  const invoices = new Map<string, string[]>();
  for (const raw of inv?.results ?? []) {
    const r = z.object({ order_ref: z.string(), number: z.string() }).parse(raw);
    invoices.set(r.order_ref, [...(invoices.get(r.order_ref) ?? []), r.number]);
  }
  const returns = new Map<string, AccountReturn[]>();
  for (const raw of ret?.results ?? []) {
    const r = toAccountReturn(raw);
    returns.set(r.orderRef, [...(returns.get(r.orderRef) ?? []), r]);
  }
  return { invoices, returns };
}

const SELECT = `SELECT o.order_ref, o.order_number, o.status, o.at, o.shipments, so.state FROM orders o
  LEFT JOIN shop_orders so ON so.shop_id = o.shop_id AND so.order_ref = o.order_ref`;

/** One page of the buyer's orders, the latest status change first. */
export async function buyerOrders(
  db: D1Database,
  shop: string,
  buyer: Buyer,
  limit: number,
  cursor: string | undefined,
): Promise<{ orders: AccountOrder[]; nextCursor?: string }> {
  const after = decodeCursor(cursor);
  const { results } = await db
    .prepare(
      `${SELECT} WHERE ${OWNED} AND (?4 IS NULL OR o.at < ?4 OR (o.at = ?4 AND o.order_ref < ?5))
       ORDER BY o.at DESC, o.order_ref DESC LIMIT ?6`,
    )
    .bind(shop, buyer.email ?? null, buyer.id, after?.[0] ?? null, after?.[1] ?? "", limit + 1)
    .all();
  const rows = results.slice(0, limit).map((raw) => OrderRow.parse(raw));
  const { invoices, returns } = await attachments(
    db,
    shop,
    buyer,
    rows.map((r) => r.order_ref),
  );
  const orders = rows.map((r) => {
    const { delivered: _internal, ...order } = toAccountOrder(r, invoices.get(r.order_ref) ?? [], returns.get(r.order_ref) ?? []);
    return order;
  });
  const last = rows.at(-1);
  return { orders, ...(results.length > limit && last ? { nextCursor: encodeCursor(last.at, last.order_ref) } : {}) };
}

/** One of the buyer's orders with what was delivered per SKU, or undefined when it is not theirs (the same answer as an unknown one). */
export async function buyerOrder(
  db: D1Database,
  shop: string,
  buyer: Buyer,
  orderRef: string,
): Promise<(AccountOrder & { delivered: Map<string, number> }) | undefined> {
  const raw = await db
    .prepare(`${SELECT} WHERE ${OWNED} AND o.order_ref = ?4`)
    .bind(shop, buyer.email ?? null, buyer.id, orderRef)
    .first();
  if (!raw) return undefined;
  const r = OrderRow.parse(raw);
  const { invoices, returns } = await attachments(db, shop, buyer, [r.order_ref]);
  return toAccountOrder(r, invoices.get(r.order_ref) ?? [], returns.get(r.order_ref) ?? []);
}

/** The buyer's returns, newest first (at most 200). */
export async function buyerReturns(db: D1Database, shop: string, buyer: Buyer): Promise<AccountReturn[]> {
  const { results } = await db
    .prepare("SELECT * FROM account_returns WHERE shop_id = ? AND customer_id = ? ORDER BY requested_at DESC, return_ref LIMIT 200")
    .bind(shop, buyer.id)
    .all();
  return results.map(toAccountReturn);
}
