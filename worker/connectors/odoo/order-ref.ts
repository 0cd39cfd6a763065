import type { OdooRecord } from "./client";

/**
 * How a shop order is found again in Odoo. Staff search the shop's order name ("#1001"), so that
 * is the sale order's Customer Reference (`client_order_ref`); the platform's order id, which the
 * edge keys everything on, is its Source Document (`origin`) as "backroom:<orderRef>". Orders
 * made before this (the platform id in `client_order_ref`, no origin) are still found.
 */
export const ORIGIN_PREFIX = "backroom:";
export const originOf = (orderRef: string): string => `${ORIGIN_PREFIX}${orderRef}`;
/** The origin of a sale order cancelled and replaced by a new one (an edit Odoo refused): no longer the shop order's. */
export const REPLACED_PREFIX = "backroom-replaced:";
export const replacedOriginOf = (orderRef: string): string => `${REPLACED_PREFIX}${orderRef}`;

/** The domain of the sale orders that came from the shop (or carry a customer reference). */
export const SHOP_ORDERS: unknown[] = ["|", ["origin", "=like", `${ORIGIN_PREFIX}%`], ["client_order_ref", "!=", false]];

/** The sale order's shop order ref: from its origin, else (older orders) its customer reference. */
export function shopOrderRef(so: OdooRecord): string | undefined {
  const origin = typeof so.origin === "string" ? so.origin.trim() : "";
  if (origin.startsWith(REPLACED_PREFIX)) return undefined;
  if (origin.startsWith(ORIGIN_PREFIX) && origin.length > ORIGIN_PREFIX.length) return origin.slice(ORIGIN_PREFIX.length);
  const ref = typeof so.client_order_ref === "string" ? so.client_order_ref.trim() : "";
  return ref === "" ? undefined : ref;
}

/** Finds the sale orders of a shop order, whichever way they were made (the newest is the live one). */
export const findShopOrderDomain = (orderRef: string): unknown[] => ["|", ["origin", "=", originOf(orderRef)], ["client_order_ref", "=", orderRef]];
