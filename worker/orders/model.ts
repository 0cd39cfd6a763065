/**
 * The normalised order: one shape for every shop platform, and what every ERP connector is given.
 * The schemas live in the contract (they are what the generic connector sends); these are the types.
 */
export type { Address, ErpOrder, ErpOrderEvent, ErpOrderLine, FinancialStatus } from "../contract/orders";

/** Why an order reached the ERP queue; part of its delivery's idempotency key. */
export type OrderEvent = "order.created" | "order.updated" | "order.cancelled";

/** ERP order statuses at which the ERP's own stock counts the order: the edge's reservation ends. */
export const RELEASING_STATUSES = ["confirmed", "picking", "packed", "shipped", "delivered", "cancelled", "returned"] as const;
