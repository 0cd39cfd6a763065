import { ErpOrder, FinancialStatus } from "../contract/orders";
import { z } from "zod";
import { sha256 } from "../domain/hmac";
import { toHex } from "../domain/encoding";
import type { OrderEventInput } from "../platforms/platform";

/**
 * What the edge knows of a platform order, merged from every event seen. The merge is commutative,
 * associative and idempotent, so the final state never depends on the order webhooks arrive in:
 * - content (lines, totals, addresses) comes from the event with the latest `updatedAt`
 *   (ties broken by the content itself, so both arrival orders pick the same);
 * - cancellation is sticky: once any event says cancelled, the order stays cancelled;
 * - the financial status only moves forward (pending → authorized → paid → refunded …).
 */
export const MergedOrder = z.object({
  order: ErpOrder.optional(),
  cancelled: z.boolean(),
  cancelledAt: z.string().optional(),
  financialStatus: FinancialStatus,
});
export type MergedOrder = z.infer<typeof MergedOrder>;

const RANK: Record<FinancialStatus, number> = {
  unknown: 0,
  pending: 1,
  authorized: 2,
  partially_paid: 3,
  paid: 4,
  voided: 5,
  partially_refunded: 6,
  refunded: 7,
};

export const fromEvent = (e: OrderEventInput): MergedOrder => ({
  ...(e.order ? { order: e.order } : {}),
  cancelled: e.cancelled,
  ...(e.order?.cancelledAt ? { cancelledAt: e.order.cancelledAt } : {}),
  financialStatus: e.order?.financialStatus ?? "unknown",
});

function newer(a: ErpOrder | undefined, b: ErpOrder | undefined): ErpOrder | undefined {
  if (!a || !b) return a ?? b;
  const ta = Date.parse(a.updatedAt);
  const tb = Date.parse(b.updatedAt);
  if (ta !== tb) return ta > tb ? a : b;
  return JSON.stringify(a) >= JSON.stringify(b) ? a : b;
}

const earliest = (a: string | undefined, b: string | undefined): string | undefined => (!a || !b ? (a ?? b) : Date.parse(a) <= Date.parse(b) ? a : b);

export function mergeOrders(a: MergedOrder, b: MergedOrder): MergedOrder {
  const order = newer(a.order, b.order);
  const cancelledAt = earliest(a.cancelledAt, b.cancelledAt);
  return {
    ...(order ? { order } : {}),
    cancelled: a.cancelled || b.cancelled,
    ...(cancelledAt ? { cancelledAt } : {}),
    financialStatus: RANK[a.financialStatus] >= RANK[b.financialStatus] ? a.financialStatus : b.financialStatus,
  };
}

/** The order as the ERP should see it now; undefined while only a bare cancellation is known. */
export function effectiveOrder(m: MergedOrder): ErpOrder | undefined {
  if (!m.order) return undefined;
  const { cancelledAt: _ignored, ...rest } = m.order;
  return {
    ...rest,
    status: m.cancelled ? "cancelled" : "open",
    financialStatus: m.financialStatus,
    ...(m.cancelled ? { cancelledAt: m.cancelledAt ?? m.order.updatedAt } : {}),
  };
}

/** A short, stable hash of the order as the ERP should see it: one ERP delivery per distinct revision. */
export async function revisionOf(order: ErpOrder): Promise<string> {
  return toHex(await sha256(JSON.stringify(order))).slice(0, 16);
}
