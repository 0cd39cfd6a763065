import { toBase64 } from "../../worker/domain/encoding";
import { hmacSha256 } from "../../worker/domain/hmac";
import shopifyCreate from "../fixtures/shopify/orders_create.json";
import wooOrder from "../fixtures/woocommerce/orders__retrieve_an_order.json";

/** The exact order id Shopify's sample means (its JSON `id` was rounded upstream; the gid was not). */
export const SHOPIFY_SAMPLE_ORDER_ID = "820982911946154508";

/**
 * The raw text of Shopify's documented order webhook, with the exact 64-bit order id restored in
 * the raw JSON (as a real body carries it) and the given edits applied to the parsed sample.
 */
export function shopifyOrderBody(edit: (o: Record<string, unknown>) => void = () => {}, orderId = SHOPIFY_SAMPLE_ORDER_ID): string {
  const o: Record<string, unknown> = structuredClone(shopifyCreate.response);
  edit(o);
  o.admin_graphql_api_id = `gid://shopify/Order/${orderId}`;
  o.id = 0;
  return JSON.stringify(o).replace('"id":0,', `"id":${orderId},`);
}

/** Shopify's sample as a fresh, open, unpaid order (the sample itself is cancelled and voided). */
export const openShopifyOrder = (o: Record<string, unknown>) => {
  o.cancelled_at = null;
  o.cancel_reason = null;
  o.financial_status = "pending";
};

/** WooCommerce's documented order (an order.created body), with edits. */
export function wooOrderBody(edit: (o: Record<string, unknown>) => void = () => {}): string {
  const o: Record<string, unknown> = structuredClone(wooOrder);
  edit(o);
  return JSON.stringify(o);
}

export async function shopifyHeaders(secret: string, body: string, topic: string, deliveryId: string): Promise<Record<string, string>> {
  return {
    "content-type": "application/json",
    "x-shopify-topic": topic,
    "x-shopify-webhook-id": deliveryId,
    "x-shopify-hmac-sha256": toBase64(await hmacSha256(secret, body)),
    "x-shopify-shop-domain": "fake-shop.myshopify.com",
  };
}

export async function wooHeaders(secret: string, body: string, topic: string, deliveryId: string): Promise<Record<string, string>> {
  return {
    "content-type": "application/json",
    "x-wc-webhook-topic": topic,
    "x-wc-webhook-delivery-id": deliveryId,
    "x-wc-webhook-signature": toBase64(await hmacSha256(secret, body)),
    "x-wc-webhook-source": "https://woo.example/",
  };
}
