import { DEFAULT_CUSTOMER_TOKEN_MAX_DAYS } from "../contract/admin";
import { fromHex, toHex } from "./encoding";
import { hmacSha256, timingSafeEqual } from "./hmac";

/**
 * The signed customer token a storefront puts on the page for a signed-in B2B buyer:
 * `<customerId>.<expiresUnix>.<hex HMAC-SHA256(customerSecret, "{customerId}.{expiresUnix}")>`.
 * Shopify Liquid makes it with `| hmac_sha256: secret`, PHP with `hash_hmac('sha256', ...)`.
 */

export type TokenFailure = "malformed" | "expired" | "bad_signature" | "lifetime_exceeded";

export async function signCustomerToken(secret: string, customerId: string, expiresUnix: number): Promise<string> {
  return `${customerId}.${expiresUnix}.${toHex(await hmacSha256(secret, `${customerId}.${expiresUnix}`))}`;
}

/**
 * Answers the customer id the token vouches for, or why it vouches for nobody. A token whose expiry
 * lies more than `maxLifetimeSeconds` ahead is refused (`lifetime_exceeded`): a leaked token must
 * not open a buyer's prices for years.
 */
export async function verifyCustomerToken(
  secret: string,
  token: string,
  nowSeconds: number,
  maxLifetimeSeconds: number = DEFAULT_CUSTOMER_TOKEN_MAX_DAYS * 86_400,
): Promise<{ customerId: string } | { failure: TokenFailure }> {
  // The id may itself contain dots: the expiry and MAC are the last two parts.
  const macDot = token.lastIndexOf(".");
  const expDot = token.lastIndexOf(".", macDot - 1);
  if (macDot < 0 || expDot <= 0) return { failure: "malformed" };
  const customerId = token.slice(0, expDot);
  const expires = token.slice(expDot + 1, macDot);
  const mac = fromHex(token.slice(macDot + 1));
  if (!/^\d{1,12}$/.test(expires) || !mac || mac.length !== 32) return { failure: "malformed" };
  const expected = await hmacSha256(secret, `${customerId}.${expires}`);
  if (!timingSafeEqual(mac, expected)) return { failure: "bad_signature" };
  if (Number(expires) < nowSeconds) return { failure: "expired" };
  if (Number(expires) > nowSeconds + maxLifetimeSeconds) return { failure: "lifetime_exceeded" };
  return { customerId };
}
