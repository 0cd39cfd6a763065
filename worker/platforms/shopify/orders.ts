import { z } from "zod";
import { Money } from "../../contract";
import type { Address, ErpOrder, FinancialStatus } from "../../contract/orders";
import { LineQuantity, ORDER_LIMITS } from "../../contract/orders";
import { dropUndefined, IgnoredTopic, type OrderEventInput, platformIdsOf } from "../platform";

/** The order topics handled; anything else is acknowledged and ignored. */
export const SHOPIFY_ORDER_TOPICS = ["orders/create", "orders/updated", "orders/paid", "orders/cancelled"] as const;

/** An id as it arrives after a lossless parse: a string (big) or a safe integer (small). */
const Id = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)]).transform(String);
const Gid = z.string().regex(/^gid:\/\/shopify\/\w+\/\d+$/);
const text = z.string().nullish();

/** The exact id: the gid's numeric tail when present (never rounded), else the lossless raw id. */
const exactId = (raw: string | undefined, gid: string | null | undefined): string | undefined => (gid ? gid.slice(gid.lastIndexOf("/") + 1) : raw);

const ShopifyAddress = z
  .object({
    first_name: text,
    last_name: text,
    name: text,
    company: text,
    address1: text,
    address2: text,
    city: text,
    province: text,
    zip: text,
    country_code: text,
    country: text,
    phone: text,
  })
  .nullish();

const LineItem = z.object({
  id: Id,
  admin_graphql_api_id: Gid.nullish(),
  sku: text,
  title: text,
  name: text,
  quantity: LineQuantity,
  current_quantity: LineQuantity.nullish(),
  price: Money,
  product_id: Id.nullish(),
  variant_id: Id.nullish(),
});

const ShopifyOrder = z.object({
  id: Id,
  admin_graphql_api_id: Gid.nullish(),
  name: text,
  order_number: z.union([z.number(), z.string()]).nullish(),
  email: text,
  contact_email: text,
  currency: z.string(),
  total_price: Money,
  subtotal_price: Money.nullish(),
  total_tax: Money.nullish(),
  total_discounts: Money.nullish(),
  total_shipping_price_set: z.object({ shop_money: z.object({ amount: Money }) }).nullish(),
  financial_status: text,
  cancelled_at: text,
  created_at: z.string(),
  updated_at: z.string().nullish(),
  note: text,
  customer: z.object({ first_name: text, last_name: text, phone: text }).nullish(),
  billing_address: ShopifyAddress,
  shipping_address: ShopifyAddress,
  line_items: z.array(LineItem).max(ORDER_LIMITS.lines),
});

const FINANCIAL: Record<string, FinancialStatus> = {
  pending: "pending",
  authorized: "authorized",
  partially_paid: "partially_paid",
  paid: "paid",
  partially_refunded: "partially_refunded",
  refunded: "refunded",
  voided: "voided",
};

const opt = <T>(v: T | null | undefined): T | undefined => (v === null || v === undefined || v === "" ? undefined : v);
const iso = (s: string): string => new Date(Date.parse(s)).toISOString();

function address(a: z.infer<typeof ShopifyAddress>): Address | undefined {
  if (!a) return undefined;
  const name = opt(a.name) ?? (opt([a.first_name, a.last_name].filter(Boolean).join(" ")) || undefined);
  const out: Address = {
    name,
    company: opt(a.company),
    address1: opt(a.address1),
    address2: opt(a.address2),
    city: opt(a.city),
    province: opt(a.province),
    zip: opt(a.zip),
    country: opt(a.country_code) ?? opt(a.country),
    phone: opt(a.phone),
  };
  return JSON.parse(JSON.stringify(out));
}

/**
 * Normalises a Shopify order webhook (REST-shaped payload, parsed losslessly) for `topic`.
 * Throws `IgnoredTopic` for topics outside the order pipeline and a zod error for a malformed body.
 */
export function normaliseShopifyOrder(shop: string, topic: string, body: unknown): OrderEventInput {
  if (!(SHOPIFY_ORDER_TOPICS as readonly string[]).includes(topic)) throw new IgnoredTopic(topic);
  const o = ShopifyOrder.parse(body);
  const orderRef = exactId(o.id, o.admin_graphql_api_id) ?? o.id;
  const cancelled = topic === "orders/cancelled" || Boolean(o.cancelled_at);
  const lines = o.line_items.map((l) => {
    const productId = l.product_id ?? undefined;
    const variantId = l.variant_id ?? undefined;
    return {
      lineId: exactId(l.id, l.admin_graphql_api_id) ?? l.id,
      ...(opt(l.sku) ? { sku: l.sku ?? undefined } : {}),
      title: opt(l.name) ?? opt(l.title) ?? "",
      qty: l.current_quantity ?? l.quantity,
      unitPrice: l.price,
      ...(productId ? { platformProductId: productId } : {}),
      ...(variantId ? { platformVariantId: variantId } : {}),
    };
  });
  const customerName = o.customer ? opt([o.customer.first_name, o.customer.last_name].filter(Boolean).join(" ")) : undefined;
  const order: ErpOrder = {
    shop,
    platform: "shopify",
    orderRef,
    orderNumber: opt(o.name) ?? (o.order_number !== null && o.order_number !== undefined ? String(o.order_number) : undefined),
    email: opt(o.email)?.toLowerCase() ?? opt(o.contact_email)?.toLowerCase(),
    currency: o.currency,
    status: cancelled ? "cancelled" : "open",
    financialStatus: FINANCIAL[o.financial_status ?? ""] ?? "unknown",
    createdAt: iso(o.created_at),
    updatedAt: iso(o.updated_at ?? o.created_at),
    cancelledAt: o.cancelled_at ? iso(o.cancelled_at) : undefined,
    totals: {
      subtotal: o.subtotal_price ?? undefined,
      shipping: o.total_shipping_price_set?.shop_money.amount,
      tax: o.total_tax ?? undefined,
      discount: o.total_discounts ?? undefined,
      total: o.total_price,
    },
    customer: customerName || o.customer?.phone ? { name: customerName, phone: opt(o.customer?.phone) } : undefined,
    billingAddress: address(o.billing_address),
    shippingAddress: address(o.shipping_address),
    note: opt(o.note),
    lines,
  };
  return { platform: "shopify", orderRef, cancelled, order: dropUndefined(order), ids: platformIdsOf(lines) };
}
