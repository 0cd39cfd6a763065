import { verifyBase64Hmac } from "../../domain/hmac";
import type { WebhookScheme } from "../platform";

/** Shopify's `X-Shopify-Hmac-Sha256`: base64 HMAC-SHA256 of the raw body, keyed with the app's client secret. */
export async function verifyShopifyHmac(secret: string, rawBody: Uint8Array, header: string | undefined): Promise<boolean> {
  return verifyBase64Hmac(secret, rawBody, header);
}

export const shopifyWebhook: WebhookScheme = {
  proofHeader: "x-shopify-hmac-sha256",
  deliveryHeader: "x-shopify-webhook-id",
  verify: (secret, raw, headers) => verifyShopifyHmac(secret, raw, headers.get("x-shopify-hmac-sha256") ?? undefined),
  describe: (_raw, headers) => ({ topic: headers.get("x-shopify-topic") ?? "", deliveryId: headers.get("x-shopify-webhook-id") ?? undefined }),
};
