import { fromHex, toHex } from "./encoding";
import { hmacSha256, timingSafeEqual } from "./hmac";

/**
 * The signed tokens in a back-in-stock email's links: `<subscriptionId>.<expiresUnix>.<hex HMAC>`,
 * the MAC over `"{purpose}.{shop}.{subscriptionId}.{expiresUnix}"` under a key derived from
 * BACKROOM_MASTER_KEY for this shop. A confirm token cannot unsubscribe (nor the reverse) and a
 * token of one shop means nothing in another. `expiresUnix` 0 is "never" (unsubscribe links must
 * keep working for as long as emails are sent).
 */

export type TokenPurpose = "confirm" | "unsubscribe";
export type SubscriptionTokenFailure = "malformed" | "bad_signature" | "expired";

const key = (masterKey: string, shop: string): Promise<Uint8Array> => hmacSha256(masterKey, `backroom/back-in-stock/${shop}`);
const mac = async (masterKey: string, purpose: TokenPurpose, shop: string, id: string, expires: number): Promise<Uint8Array> =>
  hmacSha256(await key(masterKey, shop), `${purpose}.${shop}.${id}.${expires}`);

/**
 * @example
 * const token = await signSubscriptionToken(env.BACKROOM_MASTER_KEY, "confirm", "acme", id, now / 1000 + 7 * 86_400);
 */
export async function signSubscriptionToken(masterKey: string, purpose: TokenPurpose, shop: string, id: string, expiresUnix: number): Promise<string> {
  const expires = Math.floor(expiresUnix);
  return `${id}.${expires}.${toHex(await mac(masterKey, purpose, shop, id, expires))}`;
}

/** Answers the subscription id the token vouches for, or why it vouches for none. */
export async function verifySubscriptionToken(
  masterKey: string,
  purpose: TokenPurpose,
  shop: string,
  token: string,
  nowSeconds: number,
): Promise<{ id: string } | { failure: SubscriptionTokenFailure }> {
  const parts = token.split(".");
  const [id, expires, hex] = parts;
  const given = fromHex(hex ?? "");
  if (parts.length !== 3 || !id || !/^[a-f0-9]{32}$/.test(id) || !/^\d{1,12}$/.test(expires ?? "") || given?.length !== 32) return { failure: "malformed" };
  if (!timingSafeEqual(given, await mac(masterKey, purpose, shop, id, Number(expires)))) return { failure: "bad_signature" };
  if (Number(expires) !== 0 && Number(expires) < nowSeconds) return { failure: "expired" };
  return { id };
}
