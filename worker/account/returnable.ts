import type { OrderStatus, ReturnLine, ReturnStatus } from "../contract";

/** Statuses at which the goods reached the buyer. */
const DELIVERED: readonly OrderStatus[] = ["delivered", "returned"];
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
 * Units delivered per SKU: what the ERP's shipments of a delivered order carried; when its
 * shipments list no items, the order's own lines. Nothing before the order is delivered.
 */
export function deliveredBySku(status: OrderStatus, shipments: ReadonlyArray<{ items?: readonly Line[] }>, lines: readonly Line[]): Map<string, number> {
  if (!DELIVERED.includes(status)) return new Map();
  const shipped = shipments.flatMap((s) => s.items ?? []);
  return sumBySku(shipped.length > 0 ? shipped : lines);
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
