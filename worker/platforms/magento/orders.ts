import { z } from "zod";
import { type Address, type ErpOrder, type FinancialStatus, ORDER_LIMITS } from "../../contract/orders";
import { dropUndefined, IgnoredTopic, type OrderEventInput, platformIdsOf } from "../platform";

/** The observer's events; anything else is acknowledged and ignored. */
export const MAGENTO_ORDER_TOPICS = ["sales_order_save_after", "order_cancel_after"] as const;

const Id = z.union([z.number().int().positive().max(Number.MAX_SAFE_INTEGER), z.string().regex(/^\d{1,20}$/)]).transform(String);
const text = z.string().nullish();
/** Magento's REST money is a JSON number ("grand_total": 27); some proxies send strings. */
const Amount = z.union([z.number().transform(String), z.string()]).pipe(z.string().regex(/^-?\d{1,13}(\.\d{1,6})?$/));
const Qty = z.number().nonnegative().max(ORDER_LIMITS.lineQty);

/** The observer's body: the order's entity id only; the order is read from the REST API. */
const Hook = z.object({ order_id: Id });

/** Every observer event asks the inbox to read the order (`GET /V1/orders/{id}`), cancellations included. */
export function normaliseMagentoHook(_shop: string, topic: string, body: unknown): OrderEventInput {
  if (!(MAGENTO_ORDER_TOPICS as readonly string[]).includes(topic)) throw new IgnoredTopic(topic);
  const { order_id } = Hook.parse(body);
  return { platform: "magento", orderRef: order_id, cancelled: false, order: undefined, ids: { products: [], variants: [] }, fetch: true };
}

const MgAddress = z.object({
  firstname: text,
  lastname: text,
  company: text,
  street: z.array(z.string()).nullish(),
  city: text,
  region: text,
  postcode: text,
  country_id: text,
  telephone: text,
  email: text,
});

const MgItem = z.object({
  item_id: Id,
  parent_item_id: Id.nullish(),
  product_id: Id.nullish(),
  sku: text,
  name: text,
  qty_ordered: Qty,
  qty_canceled: Qty.nullish(),
  qty_shipped: Qty.nullish(),
  price: Amount,
});

/** `GET /V1/orders/{id}` (and each item of the `GET /V1/orders` search). */
export const MgOrder = z.object({
  entity_id: Id,
  increment_id: text,
  state: z.string(),
  customer_email: text,
  order_currency_code: z.string(),
  grand_total: Amount,
  subtotal: Amount.nullish(),
  tax_amount: Amount.nullish(),
  shipping_amount: Amount.nullish(),
  discount_amount: Amount.nullish(),
  created_at: z.string(),
  updated_at: z.string().nullish(),
  items: z.array(MgItem).max(ORDER_LIMITS.lines),
  billing_address: MgAddress.nullish(),
  extension_attributes: z
    .object({ shipping_assignments: z.array(z.object({ shipping: z.object({ address: MgAddress.nullish() }).loose() }).loose()).nullish() })
    .loose()
    .nullish(),
});
export type MgOrder = z.infer<typeof MgOrder>;

const CANCELLED_STATES = new Set(["canceled", "closed"]);
const FINANCIAL: Record<string, FinancialStatus> = {
  new: "pending",
  pending_payment: "pending",
  processing: "paid",
  complete: "paid",
  closed: "refunded",
  canceled: "voided",
};

const opt = (v: string | null | undefined): string | undefined => (v === null || v === undefined || v === "" ? undefined : v);
/** Magento's REST dates are UTC without a zone ("2017-08-21 22:22:19"). */
const utc = (s: string): string => new Date(Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s.replace(" ", "T")}Z`)).toISOString();
/** Magento's own time format for search filters: UTC "Y-m-d H:i:s". */
export const magentoTime = (iso: string): string => new Date(Date.parse(iso)).toISOString().slice(0, 19).replace("T", " ");

function address(a: z.infer<typeof MgAddress> | null | undefined): Address | undefined {
  if (!a) return undefined;
  return dropUndefined({
    name: opt([a.firstname, a.lastname].filter(Boolean).join(" ")),
    company: opt(a.company),
    address1: opt(a.street?.[0]),
    address2: opt(a.street?.slice(1).join(", ")),
    city: opt(a.city),
    province: opt(a.region),
    zip: opt(a.postcode),
    country: opt(a.country_id),
    phone: opt(a.telephone),
  });
}

/** The lines Magento ships and stocks: child items of a configurable or bundle are carried by their parent line. */
export const topLevelItems = (o: MgOrder) => o.items.filter((i) => !i.parent_item_id);

/** A Magento order read from the REST API, normalised. */
export function normaliseMagentoOrder(shop: string, body: unknown): OrderEventInput {
  const o = MgOrder.parse(body);
  const cancelled = CANCELLED_STATES.has(o.state);
  const lines = topLevelItems(o).map((i) =>
    dropUndefined({
      lineId: i.item_id,
      sku: opt(i.sku),
      title: i.name ?? "",
      qty: Math.max(0, Math.round(i.qty_ordered - (i.qty_canceled ?? 0))),
      unitPrice: i.price,
      platformProductId: i.product_id ?? undefined,
    }),
  );
  const updatedAt = utc(o.updated_at || o.created_at);
  const order: ErpOrder = dropUndefined({
    shop,
    platform: "magento" as const,
    orderRef: o.entity_id,
    orderNumber: opt(o.increment_id) ?? o.entity_id,
    email: opt(o.customer_email)?.toLowerCase(),
    currency: o.order_currency_code,
    status: cancelled ? ("cancelled" as const) : ("open" as const),
    financialStatus: FINANCIAL[o.state] ?? "unknown",
    createdAt: utc(o.created_at),
    updatedAt,
    cancelledAt: cancelled ? updatedAt : undefined,
    totals: {
      subtotal: o.subtotal ?? undefined,
      shipping: o.shipping_amount ?? undefined,
      tax: o.tax_amount ?? undefined,
      discount: o.discount_amount ?? undefined,
      total: o.grand_total,
    },
    customer: opt(o.billing_address?.telephone) ? { phone: opt(o.billing_address?.telephone) } : undefined,
    billingAddress: address(o.billing_address),
    shippingAddress: address(o.extension_attributes?.shipping_assignments?.[0]?.shipping.address),
    lines,
  });
  return { platform: "magento", orderRef: o.entity_id, cancelled, order, ids: platformIdsOf(lines) };
}
