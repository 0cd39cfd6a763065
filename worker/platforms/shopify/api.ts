import { z } from "zod";
import { ConnectorError, httpFailure, permanentError, retryableError } from "../../connectors/connector";
import type { Shipment } from "../../contract";
import type { ShopifyStockSettings } from "../../contract/connectors";
import type { ErpOrder, FinancialStatus } from "../../contract/orders";
import { outboundFetch } from "../../outbound/fetch";
import { dropUndefined, type OrderEventInput, platformIdsOf } from "../platform";

/** Shopify Admin GraphQL: fulfilments with tracking, and the reconciliation query. */

/** The shop platform's Admin API credentials, as the platform connector holds them. */
type ShopifyCredentials = Pick<ShopifyStockSettings, "shopDomain" | "accessToken" | "apiVersion">;

/** The Admin GraphQL endpoint; `shopDomain` may be a full URL (local fakes). */
export function shopifyGraphqlUrl(s: ShopifyCredentials): string {
  const origin = s.shopDomain.includes("://") ? s.shopDomain.replace(/\/$/, "") : `https://${s.shopDomain}`;
  return `${origin}/admin/api/${s.apiVersion}/graphql.json`;
}

const GraphqlAnswer = z.object({
  data: z.unknown().optional(),
  errors: z.array(z.object({ message: z.string(), extensions: z.object({ code: z.string().optional() }).loose().optional() })).optional(),
});

/** One GraphQL call; HTTP and GraphQL-level failures become retryable or permanent `ConnectorError`s. */
export async function shopifyGraphql(creds: ShopifyCredentials, doFetch: typeof fetch, query: string, variables: Record<string, unknown>): Promise<unknown> {
  const url = shopifyGraphqlUrl(creds);
  let res: Response;
  try {
    res = await outboundFetch(doFetch, url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-shopify-access-token": creds.accessToken },
      body: JSON.stringify({ query, variables }),
    });
  } catch (e) {
    if (e instanceof ConnectorError) throw e;
    throw retryableError(`Shopify unreachable: ${e instanceof Error ? e.message : String(e)}`);
  }
  const failure: ConnectorError | undefined = httpFailure(res.status, res.headers.get("retry-after"));
  if (failure) {
    await res.body?.cancel();
    throw failure;
  }
  const text = await res.text();
  const answer = GraphqlAnswer.safeParse(JSON.parse(text));
  if (!answer.success) throw permanentError("Shopify answered something that is not GraphQL");
  const errors = answer.data.errors ?? [];
  if (errors.some((e) => e.extensions?.code === "THROTTLED")) throw retryableError("Shopify: THROTTLED", 2);
  if (errors.length > 0) throw permanentError(`Shopify: ${errors.map((e) => e.message).join("; ")}`);
  return answer.data.data;
}

export const FULFILLMENT_ORDERS_QUERY = `query FulfilmentTargets($id: ID!) {
  order(id: $id) {
    fulfillments(first: 50) { trackingInfo { number } }
    fulfillmentOrders(first: 20) {
      nodes { id status lineItems(first: 100) { nodes { id sku remainingQuantity } } }
    }
  }
}`;

export const FULFILLMENT_CREATE = `mutation CreateFulfilment($fulfillment: FulfillmentInput!) {
  fulfillmentCreate(fulfillment: $fulfillment) {
    fulfillment { id status }
    userErrors { field message }
  }
}`;

const Targets = z.object({
  order: z
    .object({
      fulfillments: z.array(z.object({ trackingInfo: z.array(z.object({ number: z.string().nullable() })) })),
      fulfillmentOrders: z.object({
        nodes: z.array(
          z.object({
            id: z.string(),
            status: z.string(),
            lineItems: z.object({ nodes: z.array(z.object({ id: z.string(), sku: z.string().nullable(), remainingQuantity: z.number() })) }),
          }),
        ),
      }),
    })
    .nullable(),
});

const Created = z.object({
  fulfillmentCreate: z.object({
    fulfillment: z.object({ id: z.string() }).nullable(),
    userErrors: z.array(z.object({ message: z.string() })),
  }),
});

type FulfilmentInput = Array<{ fulfillmentOrderId: string; fulfillmentOrderLineItems?: Array<{ id: string; quantity: number }> }>;

/** Which fulfilment-order lines a shipment covers: its items by SKU, or everything still open. */
export function planFulfilment(orders: z.infer<typeof Targets>["order"] & object, shipment: Shipment): FulfilmentInput {
  const open = orders.fulfillmentOrders.nodes.filter((fo) => ["OPEN", "IN_PROGRESS"].includes(fo.status));
  if (!shipment.items || shipment.items.length === 0) {
    return open.filter((fo) => fo.lineItems.nodes.some((l) => l.remainingQuantity > 0)).map((fo) => ({ fulfillmentOrderId: fo.id }));
  }
  const picks = new Map<string, Array<{ id: string; quantity: number }>>();
  for (const item of shipment.items) {
    let need = item.qty;
    for (const fo of open) {
      for (const line of fo.lineItems.nodes) {
        if (need === 0 || line.sku !== item.sku || line.remainingQuantity <= 0) continue;
        const quantity = Math.min(need, line.remainingQuantity);
        need -= quantity;
        const list = picks.get(fo.id) ?? [];
        list.push({ id: line.id, quantity });
        picks.set(fo.id, list);
      }
    }
  }
  return [...picks].map(([fulfillmentOrderId, fulfillmentOrderLineItems]) => ({ fulfillmentOrderId, fulfillmentOrderLineItems }));
}

/**
 * Creates the fulfilment of one shipment with its tracking info. Idempotent: a shipment whose
 * tracking number the order already carries is not created again (a retry after a lost answer).
 */
export async function createShopifyFulfilment(creds: ShopifyCredentials, doFetch: typeof fetch, orderRef: string, shipment: Shipment): Promise<string> {
  const id = `gid://shopify/Order/${orderRef}`;
  const targets = Targets.parse(await shopifyGraphql(creds, doFetch, FULFILLMENT_ORDERS_QUERY, { id }));
  if (!targets.order) throw permanentError(`Shopify has no order ${orderRef}`);
  if (targets.order.fulfillments.some((f) => f.trackingInfo.some((t) => t.number === shipment.trackingNumber))) return "already-fulfilled";
  const lineItemsByFulfillmentOrder = planFulfilment(targets.order, shipment);
  if (lineItemsByFulfillmentOrder.length === 0) throw permanentError("Nothing left to fulfil for this shipment");
  const trackingInfo = { company: shipment.carrier, number: shipment.trackingNumber, ...(shipment.trackingUrl ? { url: shipment.trackingUrl } : {}) };
  const created = Created.parse(
    await shopifyGraphql(creds, doFetch, FULFILLMENT_CREATE, { fulfillment: { lineItemsByFulfillmentOrder, trackingInfo, notifyCustomer: true } }),
  );
  const errors = created.fulfillmentCreate.userErrors;
  if (errors.length > 0 || !created.fulfillmentCreate.fulfillment)
    throw permanentError(`Shopify: ${errors.map((e) => e.message).join("; ") || "no fulfilment"}`);
  return created.fulfillmentCreate.fulfillment.id;
}

export const CHANGED_ORDERS_QUERY = `query ChangedOrders($query: String!, $after: String) {
  orders(first: 50, after: $after, sortKey: UPDATED_AT, query: $query) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id name email createdAt updatedAt cancelledAt displayFinancialStatus currencyCode note
      totalPriceSet { shopMoney { amount } }
      subtotalPriceSet { shopMoney { amount } }
      totalTaxSet { shopMoney { amount } }
      lineItems(first: 100) {
        nodes { id sku name quantity currentQuantity originalUnitPriceSet { shopMoney { amount } } variant { id } product { id } }
      }
    }
  }
}`;

const Amount = z.object({ shopMoney: z.object({ amount: z.string() }) });
const GraphqlOrder = z.object({
  id: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  cancelledAt: z.string().nullable(),
  displayFinancialStatus: z.string().nullable(),
  currencyCode: z.string(),
  note: z.string().nullable(),
  totalPriceSet: Amount,
  subtotalPriceSet: Amount.nullable(),
  totalTaxSet: Amount.nullable(),
  lineItems: z.object({
    nodes: z.array(
      z.object({
        id: z.string(),
        sku: z.string().nullable(),
        name: z.string(),
        quantity: z.number(),
        currentQuantity: z.number().nullable(),
        originalUnitPriceSet: Amount,
        variant: z.object({ id: z.string() }).nullable(),
        product: z.object({ id: z.string() }).nullable(),
      }),
    ),
  }),
});
const ChangedOrders = z.object({
  orders: z.object({ pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }), nodes: z.array(GraphqlOrder) }),
});

const tail = (gid: string): string => gid.slice(gid.lastIndexOf("/") + 1);
const iso = (s: string) => new Date(Date.parse(s)).toISOString();
const FINANCIAL: Record<string, FinancialStatus> = {
  PENDING: "pending",
  AUTHORIZED: "authorized",
  PARTIALLY_PAID: "partially_paid",
  PAID: "paid",
  PARTIALLY_REFUNDED: "partially_refunded",
  REFUNDED: "refunded",
  VOIDED: "voided",
};

/** A GraphQL order node as the same normalised event a webhook gives (ids are gids: lossless). */
export function normaliseGraphqlOrder(shop: string, node: z.infer<typeof GraphqlOrder>): OrderEventInput {
  const orderRef = tail(node.id);
  const cancelled = node.cancelledAt !== null;
  const lines = node.lineItems.nodes.map((l) =>
    dropUndefined({
      lineId: tail(l.id),
      sku: l.sku || undefined,
      title: l.name,
      qty: l.currentQuantity ?? l.quantity,
      unitPrice: l.originalUnitPriceSet.shopMoney.amount,
      platformProductId: l.product ? tail(l.product.id) : undefined,
      platformVariantId: l.variant ? tail(l.variant.id) : undefined,
    }),
  );
  const order: ErpOrder = dropUndefined({
    shop,
    platform: "shopify" as const,
    orderRef,
    orderNumber: node.name ?? undefined,
    email: node.email?.toLowerCase() || undefined,
    currency: node.currencyCode,
    status: cancelled ? ("cancelled" as const) : ("open" as const),
    financialStatus: FINANCIAL[node.displayFinancialStatus ?? ""] ?? "unknown",
    createdAt: iso(node.createdAt),
    updatedAt: iso(node.updatedAt),
    cancelledAt: node.cancelledAt ? iso(node.cancelledAt) : undefined,
    totals: { subtotal: node.subtotalPriceSet?.shopMoney.amount, tax: node.totalTaxSet?.shopMoney.amount, total: node.totalPriceSet.shopMoney.amount },
    note: node.note || undefined,
    lines,
  });
  return { platform: "shopify", orderRef, cancelled, order, ids: platformIdsOf(lines) };
}

/** Orders updated after `since` (ISO), oldest first, at most `maxPages` pages of 50. */
export async function listChangedShopifyOrders(
  creds: ShopifyCredentials,
  doFetch: typeof fetch,
  shop: string,
  since: string,
  maxPages = 10,
): Promise<OrderEventInput[]> {
  const out: OrderEventInput[] = [];
  let after: string | null = null;
  for (let page = 0; page < maxPages; page++) {
    const data = ChangedOrders.parse(await shopifyGraphql(creds, doFetch, CHANGED_ORDERS_QUERY, { query: `updated_at:>'${since}'`, after }));
    out.push(...data.orders.nodes.map((n) => normaliseGraphqlOrder(shop, n)));
    if (!data.orders.pageInfo.hasNextPage) break;
    after = data.orders.pageInfo.endCursor;
  }
  return out;
}

/** One order as Shopify has it now (the reconciliation query filtered by id); a missing order is a permanent error. */
export async function fetchShopifyOrder(creds: ShopifyCredentials, doFetch: typeof fetch, shop: string, orderRef: string): Promise<OrderEventInput> {
  const data = ChangedOrders.parse(await shopifyGraphql(creds, doFetch, CHANGED_ORDERS_QUERY, { query: `id:${orderRef}`, after: null }));
  const node = data.orders.nodes[0];
  if (!node) throw permanentError(`Shopify has no order ${orderRef}`);
  return normaliseGraphqlOrder(shop, node);
}
