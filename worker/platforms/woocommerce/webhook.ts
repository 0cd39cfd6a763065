import { verifyBase64Hmac } from "../../domain/hmac";
import type { WebhookScheme } from "../platform";

/**
 * WooCommerce's `X-WC-Webhook-Signature`: base64 HMAC-SHA256 of the raw body. WooCommerce
 * HTML-decodes the stored secret before signing (`wp_specialchars_decode(..., ENT_QUOTES)`), so a
 * secret typed with `&amp;` signs with `&`.
 */
export async function verifyWooCommerceHmac(secret: string, rawBody: Uint8Array, header: string | undefined): Promise<boolean> {
  return verifyBase64Hmac(decodeHtmlSpecialChars(secret), rawBody, header);
}

/** PHP's `wp_specialchars_decode($s, ENT_QUOTES)`: the five entities WordPress encodes, `&amp;` last. */
export function decodeHtmlSpecialChars(s: string): string {
  return s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#0*39;|&#x0*27;/gi, "'")
    .replace(/&amp;/g, "&");
}

/** WooCommerce's creation ping: an unsigned form body `webhook_id=N`. */
const PING = /^webhook_id=\d+$/;

export const wooWebhook: WebhookScheme = {
  proofHeader: "x-wc-webhook-signature",
  deliveryHeader: "x-wc-webhook-delivery-id",
  isPing: (raw, headers) => !headers.has("x-wc-webhook-signature") && PING.test(new TextDecoder().decode(raw)),
  verify: (secret, raw, headers) => verifyWooCommerceHmac(secret, raw, headers.get("x-wc-webhook-signature") ?? undefined),
  describe: (_raw, headers) => ({ topic: headers.get("x-wc-webhook-topic") ?? "", deliveryId: headers.get("x-wc-webhook-delivery-id") ?? undefined }),
};
