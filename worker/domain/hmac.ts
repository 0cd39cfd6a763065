import { bufferSource, fromBase64, utf8 } from "./encoding";

/** HMAC-SHA256 of `message` under `key` (raw bytes, or a string taken as its UTF-8 bytes). */
export async function hmacSha256(key: Uint8Array | string, message: Uint8Array | string): Promise<Uint8Array> {
  const raw = typeof key === "string" ? utf8(key) : key;
  const k = await crypto.subtle.importKey("raw", bufferSource(raw), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const data = typeof message === "string" ? utf8(message) : message;
  return new Uint8Array(await crypto.subtle.sign("HMAC", k, bufferSource(data)));
}

export async function sha256(message: Uint8Array | string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bufferSource(typeof message === "string" ? utf8(message) : message)));
}

/**
 * Compares two byte strings in time that depends only on their lengths, so a forged signature
 * learns nothing from how long the check took.
 */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/**
 * A base64 HMAC-SHA256 of the raw body bytes (how Shopify and WooCommerce sign webhooks), compared
 * in constant time before anything is parsed.
 */
export async function verifyBase64Hmac(secret: string, rawBody: Uint8Array, header: string | undefined): Promise<boolean> {
  const given = header ? fromBase64(header.trim()) : undefined;
  // HMAC pads a short key with zero bytes, so an empty key equals the one-byte key 0x00 (which
  // WebCrypto, unlike an empty one, accepts). WooCommerce webhooks start with an empty secret.
  const expected = await hmacSha256(secret === "" ? new Uint8Array(1) : secret, rawBody);
  // Compare even when the header is unreadable, so the time taken says nothing about why it failed.
  return timingSafeEqual(given ?? new Uint8Array(expected.length + 1), expected) && given !== undefined;
}
