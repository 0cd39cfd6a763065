import { z } from "zod";

/**
 * Shop orders on their way to the ERP, and the staff's view of that pipeline. Platform ids are
 * strings (Shopify's exceed 2^53); money is a decimal string.
 */

const Decimal = z.string().regex(/^-?\d{1,13}(\.\d{1,6})?$/, "a decimal amount like 12.50");

export const FinancialStatus = z.enum(["pending", "authorized", "partially_paid", "paid", "partially_refunded", "refunded", "voided", "unknown"]);
export type FinancialStatus = z.infer<typeof FinancialStatus>;

export const Address = z.object({
  name: z.string().optional(),
  company: z.string().optional(),
  address1: z.string().optional(),
  address2: z.string().optional(),
  city: z.string().optional(),
  province: z.string().optional(),
  zip: z.string().optional(),
  country: z.string().optional(),
  phone: z.string().optional(),
});
export type Address = z.infer<typeof Address>;

/**
 * The most one order line may ask for, and the most lines one order may have. Real orders stay far
 * below; the bounds keep one forged webhook from holding all stock or busying the queue, and keep
 * every integer column an integer.
 */
export const ORDER_LIMITS = { lineQty: 100_000, lines: 1_000 } as const;
export const LineQuantity = z.number().int().min(0).max(ORDER_LIMITS.lineQty);

export const ErpOrderLine = z.object({
  /** The platform's line id, as a string. */
  lineId: z.string(),
  sku: z.string().min(1).max(255).optional(),
  /** The SKU the shop platform sent, when it is an alias or GTIN of the ERP's `sku` (worker/orders/resolve-skus.ts). */
  platformSku: z.string().min(1).max(255).optional(),
  title: z.string(),
  qty: LineQuantity,
  unitPrice: Decimal,
  platformProductId: z.string().optional(),
  platformVariantId: z.string().optional(),
  /** Where the edge reserved this line's stock; absent when nothing was reserved. */
  allocations: z.array(z.object({ warehouse: z.string(), qty: z.number().int().positive() })).optional(),
  /** True when the line was accepted beyond available stock (the product allows backorders) or could not be covered. */
  backordered: z.boolean().optional(),
});
export type ErpOrderLine = z.infer<typeof ErpOrderLine>;

/** The shop platforms whose orders the edge takes in (each one folder in `worker/platforms/`). */
export const OrderPlatform = z.enum(["shopify", "woocommerce", "bigcommerce", "magento"]);
export type OrderPlatform = z.infer<typeof OrderPlatform>;

/**
 * The header a BigCommerce webhook is registered with (the `headers` of `POST /v3/hooks`), its value
 * the shop's platform webhook secret: how BigCommerce callbacks prove where they come from.
 */
export const BIGCOMMERCE_SECRET_HEADER = "x-backroom-webhook-secret";

/**
 * The headers of Backroom's Magento 2 observer (README, "Orders from the shop platform"): the event,
 * a delivery id, and `base64(HMAC-SHA256(platform webhook secret, raw body))`.
 */
export const MAGENTO_HEADERS = { event: "x-backroom-event", delivery: "x-backroom-delivery", signature: "x-backroom-signature" } as const;

/**
 * The one normalised order every shop platform is translated into, and what every ERP connector
 * is given. The generic connector POSTs exactly this (plus `event`) to the shop's ERP endpoint.
 */
export const ErpOrder = z.object({
  shop: z.string(),
  platform: OrderPlatform,
  /** The platform's order id as a string: the `orderRef` the ERP answers status pushes with. */
  orderRef: z.string(),
  orderNumber: z.string().optional(),
  email: z.string().optional(),
  currency: z.string(),
  status: z.enum(["open", "cancelled"]),
  financialStatus: FinancialStatus,
  createdAt: z.string(),
  updatedAt: z.string(),
  cancelledAt: z.string().optional(),
  totals: z.object({ subtotal: Decimal.optional(), shipping: Decimal.optional(), tax: Decimal.optional(), discount: Decimal.optional(), total: Decimal }),
  customer: z.object({ name: z.string().optional(), phone: z.string().optional() }).optional(),
  billingAddress: Address.optional(),
  shippingAddress: Address.optional(),
  note: z.string().optional(),
  lines: z.array(ErpOrderLine).max(ORDER_LIMITS.lines),
});
export type ErpOrder = z.infer<typeof ErpOrder>;

/** The body the generic connector POSTs to the ERP, signed with Standard Webhooks headers. */
export const ErpOrderEvent = z.object({
  type: z.enum(["order.created", "order.updated", "order.cancelled"]),
  order: ErpOrder,
});
export type ErpOrderEvent = z.infer<typeof ErpOrderEvent>;

/** What the generic connector reads back from the ERP's 2xx answer (all optional). */
export const ErpOrderAck = z.object({ erpRef: z.string().min(1).max(64).optional() }).loose();

/** What a shop-platform webhook answers: fast, before any work is done. */
export const HookAck = z.object({
  ok: z.literal(true),
  duplicate: z.boolean().optional(),
  ignored: z.string().optional(),
});
export type HookAck = z.infer<typeof HookAck>;

export const DeliveryKind = z.enum(["erp_order", "fulfilment", "erp_return"]);
export const DeliveryStatus = z.enum(["pending", "retrying", "delivered", "failed"]);

export const SyncDelivery = z.object({
  id: z.string(),
  kind: DeliveryKind,
  orderRef: z.string(),
  event: z.string(),
  status: DeliveryStatus,
  attempts: z.number().int(),
  lastError: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Every attempt that ended, oldest first, across replays (on an order's own view; not in lists). */
  history: z
    .array(z.object({ attempt: z.number().int(), at: z.string(), outcome: z.enum(["delivered", "retrying", "failed"]), error: z.string().optional() }))
    .optional(),
});
export type SyncDelivery = z.infer<typeof SyncDelivery>;

/** `GET /v1/staff/:shop/sync`: the delivery queue's health, and what needs a human. */
export const SyncHealth = z.object({
  pending: z.number().int(),
  retrying: z.number().int(),
  failed: z.number().int(),
  delivered: z.number().int(),
  /** Age in seconds of the oldest delivery not yet delivered (pending or retrying); 0 when none. */
  oldestAgeSeconds: z.number().int(),
  /** Failed deliveries (waiting for a replay), then those the queue is still retrying; at most 50. */
  failures: z.array(SyncDelivery),
  /** Orders whose reservation outlived the shop's TTL without an ERP confirmation. */
  expiredReservations: z.array(z.object({ orderRef: z.string(), orderNumber: z.string().optional(), expiredAt: z.string() })),
  /** Webhook deliveries received but not yet turned into orders (should stay near 0). */
  inboundBacklog: z.number().int(),
});
export type SyncHealth = z.infer<typeof SyncHealth>;

export const ReplayResult = z.object({ id: z.string(), status: DeliveryStatus });

/**
 * Per-shop order pipeline settings, set by the operator. The shop platform's API credentials are not
 * here: they are the connectors' `platform` slot (`PUT /v1/staff/:shop/connectors/platform`).
 */
/** Where shop orders go: the signed POST to `erpEndpointUrl`, or the shop's Odoo/ERPNext connector. */
export const OrdersTo = z.enum(["erp-endpoint", "erp-connector"]);
export type OrdersTo = z.infer<typeof OrdersTo>;

export const OrderSettings = z.strictObject({
  /** The operator's explicit choice of where orders go (default `erp-endpoint`); staff cannot change it. */
  ordersTo: OrdersTo.optional(),
  /** Where the generic connector POSTs orders: public https (loopback and http only in local mode). */
  erpEndpointUrl: z
    .url({ protocol: /^https?$/ })
    .nullable()
    .optional(),
  /** Minutes an unconfirmed reservation holds stock before the cron releases it. */
  reservationTtlMinutes: z
    .number()
    .int()
    .min(1)
    .max(60 * 24 * 30)
    .optional(),
  /** Warehouse codes, most preferred first; unlisted warehouses come after, by most available. */
  warehousePriority: z.array(z.string().min(1).max(64)).max(100).optional(),
});
export type OrderSettings = z.infer<typeof OrderSettings>;

export const OrderSettingsView = z.object({
  ordersTo: OrdersTo,
  erpEndpointUrl: z.string().optional(),
  reservationTtlMinutes: z.number().int(),
  warehousePriority: z.array(z.string()),
});
export type OrderSettingsView = z.infer<typeof OrderSettingsView>;
