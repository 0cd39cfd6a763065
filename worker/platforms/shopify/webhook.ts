import { fromBase64 } from "../../domain/encoding";
import { hmacSha256, timingSafeEqual } from "../../domain/hmac";

/**
 * The shop platforms' webhook signatures: base64 HMAC-SHA256 of the raw body bytes, compared in
 * constant time before anything is parsed.
 */

/** Shopify's `X-Shopify-Hmac-Sha256`, keyed with the app's client secret. */
export async function verifyShopifyHmac(secret: string, rawBody: Uint8Array, header: string | undefined): Promise<boolean> {
  return verifyBase64Hmac(secret, rawBody, header);
}

/**
 * WooCommerce's `X-WC-Webhook-Signature`. WooCommerce HTML-decodes the stored secret before signing
 * (`wp_specialchars_decode(..., ENT_QUOTES)`), so a secret typed with `&amp;` signs with `&`.
 */
export async function verifyWooCommerceHmac(secret: string, rawBody: Uint8Array, header: string | undefined): Promise<boolean> {
  return verifyBase64Hmac(decodeHtmlSpecialChars(secret), rawBody, header);
}

async function verifyBase64Hmac(secret: string, rawBody: Uint8Array, header: string | undefined): Promise<boolean> {
  const given = header ? fromBase64(header.trim()) : undefined;
  // HMAC pads a short key with zero bytes, so an empty key equals the one-byte key 0x00 (which
  // WebCrypto, unlike an empty one, accepts). WooCommerce webhooks start with an empty secret.
  const expected = await hmacSha256(secret === "" ? new Uint8Array(1) : secret, rawBody);
  // Compare even when the header is unreadable, so the time taken says nothing about why it failed.
  return timingSafeEqual(given ?? new Uint8Array(expected.length + 1), expected) && given !== undefined;
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
