import { z } from "zod";
import { type Address, type ErpOrder, type FinancialStatus, LineQuantity, ORDER_LIMITS } from "../../contract/orders";
import { dropUndefined, IgnoredTopic, type OrderEventInput, platformIdsOf } from "../platform";

/** The order topics handled (the webhook's `scope`); anything else is acknowledged and ignored. */
export const BIGCOMMERCE_ORDER_TOPICS = ["store/order/created", "store/order/updated", "store/order/statusUpdated", "store/order/archived"] as const;

const Id = z.union([z.number().int().positive().max(Number.MAX_SAFE_INTEGER), z.string().regex(/^\d{1,20}$/)]).transform(String);
const text = z.string().nullish();
/** V2 money: a decimal string ("55.9900"); some stores' answers carry plain numbers. */
const Amount = z.union([z.string().regex(/^-?\d{1,13}(\.\d{1,6})?$/), z.number().transform(String)]);

/** A webhook body: only the order's id (`data.id`); the order itself is read from the Orders API. */
const Hook = z.object({ scope: z.string(), data: z.object({ type: z.literal("order"), id: Id }) });

/**
 * Normalises a BigCommerce order webhook. It never carries the order: created / updated /
 * statusUpdated ask the inbox to read it (`fetch`); archived (BigCommerce's delete) cancels.
 */
export function normaliseBigCommerceHook(_shop: string, topic: string, body: unknown): OrderEventInput {
  if (!(BIGCOMMERCE_ORDER_TOPICS as readonly string[]).includes(topic)) throw new IgnoredTopic(topic);
  const hook = Hook.parse(body);
  const none = { products: [], variants: [] };
  if (topic === "store/order/archived") return { platform: "bigcommerce", orderRef: hook.data.id, cancelled: true, order: undefined, ids: none };
  return { platform: "bigcommerce", orderRef: hook.data.id, cancelled: false, order: undefined, ids: none, fetch: true };
}

const BcAddress = z.object({
  first_name: text,
  last_name: text,
  company: text,
  street_1: text,
  street_2: text,
  city: text,
  state: text,
  zip: text,
  country: text,
  country_iso2: text,
  phone: text,
  email: text,
});

/** `GET /v2/orders/{id}` (and each row of `GET /v2/orders`). */
export const BcOrder = z.object({
  id: Id,
  status_id: z.number().int(),
  date_created: z.string(),
  date_modified: z.string().nullish(),
  subtotal_ex_tax: Amount.nullish(),
  shipping_cost_inc_tax: Amount.nullish(),
  total_tax: Amount.nullish(),
  discount_amount: Amount.nullish(),
  total_inc_tax: Amount,
  payment_status: text,
  currency_code: text,
  default_currency_code: text,
  customer_message: text,
  billing_address: BcAddress.nullish(),
});

/** `GET /v2/orders/{id}/products`. */
export const BcOrderProduct = z.object({
  id: Id,
  product_id: z.number().int().nonnegative().nullish(),
  variant_id: z.number().int().nonnegative().nullish(),
  order_address_id: z.number().int().nullish(),
  name: text,
  sku: text,
  quantity: LineQuantity,
  quantity_shipped: z.number().int().nonnegative().nullish(),
  base_price: Amount,
});

/** `GET /v2/orders/{id}/shipping_addresses`. */
export const BcShippingAddress = BcAddress.extend({ id: z.number().int() });

/** Incomplete (0): a checkout that never became an order; nothing to reserve or send yet. */
export const INCOMPLETE_STATUS = 0;
/** Refunded (4), Cancelled (5), Declined (6): the order no longer holds stock. */
const CANCELLED_STATUSES = new Set([4, 5, 6]);

const FINANCIAL: Record<string, FinancialStatus> = {
  pending: "pending",
  authorized: "authorized",
  captured: "paid",
  paid: "paid",
  "partially refunded": "partially_refunded",
  refunded: "refunded",
  void: "voided",
  voided: "voided",
  declined: "voided",
};

const opt = (v: string | null | undefined): string | undefined => (v === null || v === undefined || v === "" ? undefined : v);
/** V2 dates are RFC 2822 ("Tue, 05 Mar 2019 21:40:11 +0000"). */
const iso = (s: string): string => new Date(Date.parse(s)).toISOString();

function address(a: z.infer<typeof BcAddress> | null | undefined): Address | undefined {
  if (!a) return undefined;
  return dropUndefined({
    name: opt([a.first_name, a.last_name].filter(Boolean).join(" ")),
    company: opt(a.company),
    address1: opt(a.street_1),
    address2: opt(a.street_2),
    city: opt(a.city),
    province: opt(a.state),
    zip: opt(a.zip),
    country: opt(a.country_iso2) ?? opt(a.country),
    phone: opt(a.phone),
  });
}

/**
 * The order as read from the V2 Orders API (the order, its products, its shipping addresses),
 * normalised. Throws `IgnoredTopic` for an Incomplete order (a checkout, not an order yet).
 */
export function normaliseBigCommerceOrder(shop: string, orderBody: unknown, productsBody: unknown, addressesBody: unknown): OrderEventInput {
  const o = BcOrder.parse(orderBody);
  if (o.status_id === INCOMPLETE_STATUS) throw new IgnoredTopic(`order ${o.id} is incomplete`);
  const products = z
    .array(BcOrderProduct)
    .max(ORDER_LIMITS.lines)
    .parse(productsBody ?? []);
  const shipping = z.array(BcShippingAddress).parse(addressesBody ?? []);
  const cancelled = CANCELLED_STATUSES.has(o.status_id);
  const lines = products.map((p) =>
    dropUndefined({
      lineId: p.id,
      sku: opt(p.sku),
      title: p.name ?? "",
      qty: p.quantity,
      unitPrice: p.base_price,
      platformProductId: p.product_id ? String(p.product_id) : undefined,
      platformVariantId: p.variant_id ? String(p.variant_id) : undefined,
    }),
  );
  const updatedAt = iso(o.date_modified || o.date_created);
  const order: ErpOrder = dropUndefined({
    shop,
    platform: "bigcommerce" as const,
    orderRef: o.id,
    orderNumber: o.id,
    email: opt(o.billing_address?.email)?.toLowerCase(),
    // The transactional currency (what the shopper paid in); `currency_code` is only the display one.
    currency: opt(o.default_currency_code) ?? opt(o.currency_code) ?? "USD",
    status: cancelled ? ("cancelled" as const) : ("open" as const),
    financialStatus: FINANCIAL[(o.payment_status ?? "").toLowerCase()] ?? "unknown",
    createdAt: iso(o.date_created),
    updatedAt,
    cancelledAt: cancelled ? updatedAt : undefined,
    totals: {
      subtotal: o.subtotal_ex_tax ?? undefined,
      shipping: o.shipping_cost_inc_tax ?? undefined,
      tax: o.total_tax ?? undefined,
      discount: o.discount_amount ?? undefined,
      total: o.total_inc_tax,
    },
    customer: opt(o.billing_address?.phone) ? { phone: opt(o.billing_address?.phone) } : undefined,
    billingAddress: address(o.billing_address),
    shippingAddress: address(shipping[0]),
    note: opt(o.customer_message),
    lines,
  });
  return { platform: "bigcommerce", orderRef: o.id, cancelled, order, ids: platformIdsOf(lines) };
}
