import { z } from "zod";
import type { Shop } from "../db/shops";
import { verifyCustomerToken } from "../domain/customer-token";
import { unseal } from "../domain/secrets";
import { ApiError } from "../http/error";

/** The signed-in buyer: the customer the storefront's token vouches for, as the ERP pushed it. */
export interface Buyer {
  id: string;
  email: string | undefined;
  company: string;
  priceList: string;
  currency: string;
  paymentTerms: string | undefined;
  creditLimit: string | undefined;
  balance: string | undefined;
}

const Row = z.object({
  id: z.string(),
  email: z.string().nullable(),
  company: z.string(),
  price_list: z.string(),
  payment_terms: z.string().nullable(),
  credit_limit: z.string().nullable(),
  balance: z.string().nullable(),
  currency: z.string().nullable(),
});

/**
 * The buyer behind `x-backroom-customer`, exactly as `/prices` checks it: the shop's customer secret
 * signs `{customerId}.{expires}`; a missing, malformed, expired, foreign or unknown token is 401 and
 * opens nothing. Every account route answers only this buyer's records.
 */
export async function authenticateBuyer(env: Env, shop: Shop, token: string | undefined): Promise<Buyer> {
  if (!token) throw new ApiError(401, "customer_token_missing", "The account needs a signed customer token");
  const secret = await unseal(env.BACKROOM_MASTER_KEY, `${shop.id}/customer`, shop.customerSecretSealed);
  const verified = await verifyCustomerToken(secret, token, Date.now() / 1000, shop.customerTokenMaxSeconds);
  if ("failure" in verified) throw new ApiError(401, `customer_token_${verified.failure}`, "The customer token is not valid for this shop");
  const raw = await env.DB.prepare(
    `SELECT c.id, c.email, c.company, c.price_list, c.payment_terms, c.credit_limit, c.balance, l.currency
     FROM customers c LEFT JOIN price_lists l ON l.shop_id = c.shop_id AND l.id = c.price_list
     WHERE c.shop_id = ? AND c.id = ?`,
  )
    .bind(shop.id, verified.customerId)
    .first();
  if (!raw) throw new ApiError(401, "customer_unknown", "The customer token is not valid for this shop");
  const r = Row.parse(raw);
  return {
    id: r.id,
    email: r.email ?? undefined,
    company: r.company,
    priceList: r.price_list,
    currency: r.currency ?? shop.currency,
    paymentTerms: r.payment_terms ?? undefined,
    creditLimit: r.credit_limit ?? undefined,
    balance: r.balance ?? undefined,
  };
}
