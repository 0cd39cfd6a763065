import { BIGCOMMERCE_SECRET_HEADER } from "../../contract/orders";
import { toBase64, utf8 } from "../../domain/encoding";
import { sha256, timingSafeEqual } from "../../domain/hmac";
import { verifyStandardWebhook } from "../../domain/standard-webhooks";
import type { WebhookScheme } from "../platform";

/**
 * A BigCommerce callback's proof, checked in constant time over the raw bytes:
 * - callbacks signed the Standard Webhooks way (`webhook-id`, `webhook-timestamp`,
 *   `webhook-signature`; BigCommerce keys them with the app's client secret, set as the shop's
 *   platform webhook secret) must carry a valid signature within ±5 minutes;
 * - otherwise the registered header must equal the secret. Both are compared as SHA-256 digests,
 *   so the time taken says nothing about how much of a guess was right.
 */
export async function verifyBigCommerceHook(secret: string, raw: Uint8Array, headers: Headers, nowSeconds = Date.now() / 1000): Promise<boolean> {
  if (secret === "") return false;
  const signature = headers.get("webhook-signature");
  if (signature !== null) {
    const signed = { id: headers.get("webhook-id") ?? undefined, timestamp: headers.get("webhook-timestamp") ?? undefined, signature };
    // BigCommerce's samples hand the library base64(client secret): the key is the secret's own bytes.
    return (await verifyStandardWebhook(toBase64(utf8(secret)), signed, raw, nowSeconds)) === undefined;
  }
  const given = headers.get(BIGCOMMERCE_SECRET_HEADER);
  const same = timingSafeEqual(await sha256(given ?? ""), await sha256(secret));
  return same && given !== null;
}

/** The webhook's `scope`, read only once the proof holds; unreadable bodies get no topic (and are ignored). */
function scopeOf(raw: Uint8Array): string {
  try {
    const body: unknown = JSON.parse(new TextDecoder().decode(raw));
    return typeof body === "object" && body !== null && "scope" in body && typeof body.scope === "string" ? body.scope : "";
  } catch {
    return "";
  }
}

export const bigCommerceWebhook: WebhookScheme = {
  proofHeader: BIGCOMMERCE_SECRET_HEADER,
  deliveryHeader: "webhook-id",
  verify: (secret, raw, headers) => verifyBigCommerceHook(secret, raw, headers),
  // Without a `webhook-id`, the route dedupes on the body's hash (a retry repeats the body exactly;
  // two events about one order differ in `scope` or `created_at`). The body's own `hash` is not
  // unique per event: it hashes `data`, the same for every event of one order.
  describe: (raw, headers) => ({ topic: scopeOf(raw), deliveryId: headers.get("webhook-id") ?? undefined }),
};
