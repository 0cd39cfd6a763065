import { createMiddleware } from "hono/factory";
import { getShop } from "../db/shops";
import { unseal } from "../domain/secrets";
import { verifyStandardWebhook } from "../domain/standard-webhooks";
import type { AppEnv } from "./app-env";
import { ApiError } from "./error";
import { checkWebhookId } from "./webhook-id";

const CODES = {
  missing_headers: "signature_missing",
  bad_timestamp: "timestamp_invalid",
  timestamp_out_of_tolerance: "timestamp_out_of_tolerance",
  bad_signature: "signature_invalid",
} as const;

const MESSAGES = {
  missing_headers: "webhook-id, webhook-timestamp and webhook-signature are required",
  bad_timestamp: "webhook-timestamp must be unix seconds",
  timestamp_out_of_tolerance: "webhook-timestamp is more than 5 minutes from now",
  bad_signature: "webhook-signature does not match the body",
} as const;

/**
 * Verifies the ERP's Standard Webhooks signature over the raw body before anything is parsed.
 * Runs after `loadShop`; the raw text stays cached on the request for the route to parse. The key
 * is the stock pool's: the ERP secret of the pool's root shop (the shop's own when it is alone).
 */
export const verifyErpSignature = createMiddleware<AppEnv>(async (c, next) => {
  // The raw bytes, not `text()`: decoding drops a leading UTF-8 BOM and replaces invalid bytes,
  // so a correctly signed body would fail. The route's later `text()` reuses Hono's cached body.
  checkWebhookId("webhook-id", c.req.header("webhook-id"));
  const body = new Uint8Array(await c.req.arrayBuffer());
  const shop = c.var.shop;
  const root = shop.poolId === shop.id ? shop : await getShop(c.env.DB, shop.poolId);
  if (!root) throw new ApiError(401, "signature_invalid", MESSAGES.bad_signature);
  const secret = await unseal(c.env.BACKROOM_MASTER_KEY, `${root.id}/erp`, root.erpSecretSealed);
  const failure = await verifyStandardWebhook(
    secret,
    { id: c.req.header("webhook-id"), timestamp: c.req.header("webhook-timestamp"), signature: c.req.header("webhook-signature") },
    body,
    Date.now() / 1000,
  );
  if (failure) throw new ApiError(401, CODES[failure], MESSAGES[failure]);
  await next();
});
