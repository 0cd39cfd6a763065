import { fromBase64, randomBytes, toBase64, toHex, utf8 } from "./encoding";
import { sha256, timingSafeEqual } from "./hmac";

/**
 * Per-shop secrets. Those the edge must read back to compute HMACs are sealed with AES-GCM under
 * the operator's BACKROOM_MASTER_KEY; API keys are kept only as SHA-256 hashes.
 */

/** A Standard Webhooks secret: `whsec_` + base64 of 32 random bytes. */
export const newWebhookSecret = (): string => `whsec_${toBase64(randomBytes(32))}`;

/** A random key with a readable prefix, e.g. `brk_staff_...`. */
export const newKey = (prefix: string): string => `${prefix}_${toHex(randomBytes(24))}`;

export const hashKey = async (key: string): Promise<string> => toHex(await sha256(key));

/** Compares a presented key with a stored hash in constant time. */
export async function keyMatches(presented: string, storedHash: string): Promise<boolean> {
  return timingSafeEqual(utf8(await hashKey(presented)), utf8(storedHash));
}

async function masterKey(masterKeyText: string): Promise<CryptoKey> {
  const raw = fromBase64(masterKeyText);
  if (raw?.length !== 32) throw new Error("BACKROOM_MASTER_KEY must be 32 bytes, base64-encoded");
  return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
}

/** Seals `plain` as `v1.<iv>.<ciphertext>`; `context` (e.g. "demo/erp") is bound as additional data. */
export async function seal(masterKeyText: string, context: string, plain: string): Promise<string> {
  const iv = randomBytes(12);
  const ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: utf8(context) }, await masterKey(masterKeyText), utf8(plain));
  return `v1.${toBase64(iv)}.${toBase64(new Uint8Array(ct))}`;
}

export async function unseal(masterKeyText: string, context: string, sealed: string): Promise<string> {
  const [v, ivText, ctText] = sealed.split(".");
  const iv = fromBase64(ivText ?? "");
  const ct = fromBase64(ctText ?? "");
  if (v !== "v1" || !iv || !ct) throw new Error("unreadable sealed secret");
  const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv, additionalData: utf8(context) }, await masterKey(masterKeyText), ct);
  return new TextDecoder().decode(plain);
}
