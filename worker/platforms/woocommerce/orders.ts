import { z } from "zod";
import { Money } from "../../contract";
import type { Address, ErpOrder, FinancialStatus } from "../../contract/orders";
import { ORDER_LIMITS } from "../../contract/orders";
import { divideDecimal } from "../../domain/money";
import { dropUndefined, IgnoredTopic, type OrderEventInput, platformIdsOf } from "../platform";

/** The order topics handled; anything else is acknowledged and ignored. */
export const WOO_ORDER_TOPICS = ["order.created", "order.updated", "order.deleted", "order.restored"] as const;

const Id = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform(String);
const text = z.string().nullish();

const WooAddress = z
  .object({
    first_name: text,
    last_name: text,
    company: text,
    address_1: text,
    address_2: text,
    city: text,
    state: text,
    postcode: text,
    country: text,
    email: text,
    phone: text,
  })
  .nullish();

const LineItem = z.object({
  id: Id,
  name: text,
  product_id: Id.nullish(),
  variation_id: Id.nullish(),
  // Negative quantities are refunds in WooCommerce's own data; they count as 0 below.
  quantity: z.number().int().min(-ORDER_LIMITS.lineQty).max(ORDER_LIMITS.lineQty),
  sku: text,
  subtotal: Money,
  price: z.union([z.number(), z.string()]).nullish(),
});

/** A WooCommerce order webhook body: the same JSON as REST `GET /wc/v3/orders/{id}`. */
export const WooOrder = z.object({
  id: Id,
  number: z.union([z.string(), z.number()]).nullish(),
  status: z.string(),
  currency: z.string(),
  date_created_gmt: z.string(),
  date_modified_gmt: z.string().nullish(),
  date_paid_gmt: text,
  total: Money,
  total_tax: Money.nullish(),
  shipping_total: Money.nullish(),
  discount_total: Money.nullish(),
  customer_note: text,
  billing: WooAddress,
  shipping: WooAddress,
  line_items: z.array(LineItem).max(ORDER_LIMITS.lines),
});

const CANCELLED = new Set(["cancelled", "refunded", "failed", "trash"]);

function financial(status: string, paid: boolean): FinancialStatus {
  if (status === "refunded") return "refunded";
  if (status === "failed") return "voided";
  if (status === "processing" || status === "completed" || paid) return "paid";
  if (status === "pending" || status === "on-hold") return "pending";
  return "unknown";
}

const opt = (v: string | null | undefined): string | undefined => (v === null || v === undefined || v === "" ? undefined : v);
/** WooCommerce's `*_gmt` dates carry no zone: they are UTC. */
const gmt = (s: string): string => new Date(Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s}Z`)).toISOString();

function address(a: z.infer<typeof WooAddress>): Address | undefined {
  if (!a) return undefined;
  return dropUndefined({
    name: opt([a.first_name, a.last_name].filter(Boolean).join(" ")),
    company: opt(a.company),
    address1: opt(a.address_1),
    address2: opt(a.address_2),
    city: opt(a.city),
    province: opt(a.state),
    zip: opt(a.postcode),
    country: opt(a.country),
    phone: opt(a.phone),
  });
}

/** Normalises a parsed WooCommerce order body (webhook or REST). */
export function normaliseWooOrderBody(shop: string, body: unknown, forceCancelled = false): OrderEventInput {
  const o = WooOrder.parse(body);
  const cancelled = forceCancelled || CANCELLED.has(o.status);
  const lines = o.line_items.map((l) => {
    const variant = l.variation_id && l.variation_id !== "0" ? l.variation_id : undefined;
    const product = l.product_id && l.product_id !== "0" ? l.product_id : undefined;
    return dropUndefined({
      lineId: l.id,
      sku: opt(l.sku),
      title: l.name ?? "",
      qty: Math.max(0, l.quantity),
      unitPrice: l.quantity > 0 ? divideDecimal(l.subtotal, l.quantity) : l.subtotal,
      platformProductId: product,
      platformVariantId: variant,
    });
  });
  const email = opt(o.billing?.email)?.toLowerCase();
  const order: ErpOrder = dropUndefined({
    shop,
    platform: "woocommerce" as const,
    orderRef: o.id,
    orderNumber: o.number !== null && o.number !== undefined && o.number !== "" ? String(o.number) : o.id,
    email,
    currency: o.currency,
    status: cancelled ? ("cancelled" as const) : ("open" as const),
    financialStatus: financial(o.status, Boolean(opt(o.date_paid_gmt))),
    createdAt: gmt(o.date_created_gmt),
    updatedAt: gmt(o.date_modified_gmt ?? o.date_created_gmt),
    cancelledAt: cancelled ? gmt(o.date_modified_gmt ?? o.date_created_gmt) : undefined,
    totals: {
      subtotal: undefined,
      shipping: o.shipping_total ?? undefined,
      tax: o.total_tax ?? undefined,
      discount: o.discount_total ?? undefined,
      total: o.total,
    },
    customer: opt(o.billing?.phone) ? { phone: opt(o.billing?.phone) } : undefined,
    billingAddress: address(o.billing),
    shippingAddress: address(o.shipping),
    note: opt(o.customer_note),
    lines,
  });
  return { platform: "woocommerce", orderRef: o.id, cancelled, order, ids: platformIdsOf(lines) };
}

/**
 * Normalises a WooCommerce order webhook for `topic` (`X-WC-Webhook-Topic`). order.deleted carries
 * only `{ id }` and cancels.
 */
export function normaliseWooOrder(shop: string, topic: string, body: unknown): OrderEventInput {
  if (!(WOO_ORDER_TOPICS as readonly string[]).includes(topic)) throw new IgnoredTopic(topic);
  if (topic === "order.deleted") {
    const full = WooOrder.safeParse(body);
    if (full.success) return normaliseWooOrderBody(shop, body, true);
    const { id } = z.object({ id: Id }).parse(body);
    return { platform: "woocommerce", orderRef: id, cancelled: true, order: undefined, ids: { products: [], variants: [] } };
  }
  return normaliseWooOrderBody(shop, body);
}
