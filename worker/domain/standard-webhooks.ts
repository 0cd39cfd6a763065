import { fromBase64, toBase64, utf8 } from "./encoding";
import { hmacSha256, timingSafeEqual } from "./hmac";

/**
 * The Standard Webhooks scheme (standardwebhooks.com) the ERP signs its pushes with and the edge
 * signs its deliveries with: `v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>`, where the
 * key is the base64 part of a `whsec_...` secret.
 */

export const TOLERANCE_SECONDS = 5 * 60;

export type SignatureFailure = "missing_headers" | "bad_timestamp" | "timestamp_out_of_tolerance" | "bad_signature";

export interface SignedHeaders {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
}

function secretKey(secret: string): Uint8Array {
  const b64 = secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret;
  return fromBase64(b64) ?? utf8(secret);
}

/** Signs `body`, answering the three headers to send. */
export async function signStandardWebhook(secret: string, id: string, timestampSeconds: number, body: string): Promise<Record<string, string>> {
  const mac = await hmacSha256(secretKey(secret), `${id}.${timestampSeconds}.${body}`);
  return { "webhook-id": id, "webhook-timestamp": String(timestampSeconds), "webhook-signature": `v1,${toBase64(mac)}` };
}

/** `{id}.{timestamp}.{body}`: with raw bytes, exactly as sent (a text decode would drop a leading BOM). */
function signedContent(id: string, timestamp: string, body: string | Uint8Array): string | Uint8Array {
  if (typeof body === "string") return `${id}.${timestamp}.${body}`;
  const prefix = utf8(`${id}.${timestamp}.`);
  const out = new Uint8Array(prefix.length + body.length);
  out.set(prefix);
  out.set(body, prefix.length);
  return out;
}

/**
 * Verifies a signed delivery over the raw body bytes. Several space-separated signatures are
 * allowed (secret rotation); any one valid v1 signature passes.
 *
 * @example
 * const failure = await verifyStandardWebhook(secret, headers, rawBody, Date.now() / 1000);
 * if (failure) throw unauthorized(failure);
 */
export async function verifyStandardWebhook(
  secret: string,
  h: SignedHeaders,
  body: string | Uint8Array,
  nowSeconds: number,
): Promise<SignatureFailure | undefined> {
  if (!h.id || !h.timestamp || !h.signature) return "missing_headers";
  if (!/^\d{1,12}$/.test(h.timestamp)) return "bad_timestamp";
  if (Math.abs(nowSeconds - Number(h.timestamp)) > TOLERANCE_SECONDS) return "timestamp_out_of_tolerance";
  const expected = await hmacSha256(secretKey(secret), signedContent(h.id, h.timestamp, body));
  let ok = false;
  for (const part of h.signature.split(" ")) {
    const [version, sig] = part.split(",", 2);
    if (version !== "v1" || !sig) continue;
    const given = fromBase64(sig);
    if (given && timingSafeEqual(given, expected)) ok = true;
  }
  return ok ? undefined : "bad_signature";
}
