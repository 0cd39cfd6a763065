import type { OrderStatus, ReturnLine, ReturnStatus } from "../contract";

/**
 * Statuses at which the whole order has left for the buyer. The ERPs count a done delivery as
 * delivered (Odoo's `qty_delivered` from done outgoing moves, ERPNext's submitted Delivery Note),
 * and neither ever says more: at the edge those orders are `shipped`.
 */
const SENT: readonly OrderStatus[] = ["shipped", "delivered", "returned"];
/** Returns that no longer hold any units (refused or withdrawn). */
const VOID: readonly ReturnStatus[] = ["rejected", "cancelled"];

export interface Line {
  sku: string;
  qty: number;
}

export const sumBySku = (lines: readonly Line[]): Map<string, number> => {
  const out = new Map<string, number>();
  for (const l of lines) out.set(l.sku, (out.get(l.sku) ?? 0) + l.qty);
  return out;
};

/**
 * Units delivered per SKU, as the ERP counts them: what its shipments carried (a partial shipment's
 * items too); when no shipment lists items, the order's own lines once the whole order has left.
 * Nothing before anything has left, and nothing of a cancelled order.
 */
export function deliveredBySku(status: OrderStatus, shipments: ReadonlyArray<{ items?: readonly Line[] }>, lines: readonly Line[]): Map<string, number> {
  if (status === "cancelled") return new Map();
  const shipped = shipments.flatMap((s) => s.items ?? []);
  if (shipped.length > 0) return sumBySku(shipped);
  return SENT.includes(status) ? sumBySku(lines) : new Map();
}

/** Units per SKU already in a return that still counts (anything but rejected or cancelled). */
export function returnedBySku(returns: ReadonlyArray<{ status: ReturnStatus; lines: readonly Line[] }>): Map<string, number> {
  return sumBySku(returns.filter((r) => !VOID.includes(r.status)).flatMap((r) => r.lines));
}

/** What a new return may still ask for, per SKU: delivered − already returned, never below 0. */
export function returnable(delivered: ReadonlyMap<string, number>, returned: ReadonlyMap<string, number>): Line[] {
  return [...delivered]
    .map(([sku, qty]) => ({ sku, qty: Math.max(0, qty - (returned.get(sku) ?? 0)) }))
    .filter((l) => l.qty > 0)
    .sort((a, b) => a.sku.localeCompare(b.sku));
}

/** The request's lines with repeated SKUs summed, so one SKU cannot slip past its limit in two lines. */
export const mergeLines = (lines: readonly ReturnLine[]): ReturnLine[] => [...sumBySku(lines)].map(([sku, qty]) => ({ sku, qty }));

/** The lines asking for more than may be returned, with what may be; empty when the request fits. */
export function overReturned(asked: readonly ReturnLine[], allowed: readonly Line[]): Array<{ sku: string; asked: number; returnable: number }> {
  const limit = new Map(allowed.map((l) => [l.sku, l.qty]));
  return asked.filter((l) => l.qty > (limit.get(l.sku) ?? 0)).map((l) => ({ sku: l.sku, asked: l.qty, returnable: limit.get(l.sku) ?? 0 }));
}

export { VOID as VOID_RETURN_STATUSES };
