import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { CreateShop, ErrorBody, ShopParam, ShopSecrets } from "../contract";
import { getShop, insertShop, replaceSecrets } from "../db/shops";
import { hashKey, newKey, newWebhookSecret, seal, unseal } from "../domain/secrets";
import type { AppEnv } from "../http/app-env";
import { requireAdmin } from "../http/auth";
import { ApiError } from "../http/error";
import { jsonResponse } from "../http/openapi";
import { validationHook } from "../http/validation";

/** Fresh secrets for a shop, both as shown once to the operator and as sealed for storage. */
async function mintSecrets(masterKey: string, shop: string, platformWebhookSecret: string | undefined) {
  const shown: ShopSecrets = {
    shop,
    erpSecret: newWebhookSecret(),
    staffKey: newKey("brk_staff"),
    customerSecret: newKey("brk_cust"),
    platformWebhookSecret: platformWebhookSecret ?? newKey("brk_hook"),
  };
  const stored = {
    erpSecretSealed: await seal(masterKey, `${shop}/erp`, shown.erpSecret),
    customerSecretSealed: await seal(masterKey, `${shop}/customer`, shown.customerSecret),
    platformSecretSealed: shown.platformWebhookSecret ? await seal(masterKey, `${shop}/platform`, shown.platformWebhookSecret) : undefined,
    staffKeyHash: await hashKey(shown.staffKey),
  };
  return { shown, stored };
}

const createShop = createRoute({
  method: "post",
  path: "/v1/admin/shops",
  summary: "Create a shop; answers its secrets once",
  security: [{ operator: [] }],
  request: { body: { content: { "application/json": { schema: CreateShop } }, required: true } },
  responses: { 201: jsonResponse(ShopSecrets, "The shop's secrets, shown once"), 409: jsonResponse(ErrorBody, "The id is taken") },
});

const rotateSecrets = createRoute({
  method: "post",
  path: "/v1/admin/shops/{shop}/secrets",
  summary: "Replace all of a shop's secrets; the old ones stop working at once",
  security: [{ operator: [] }],
  request: { params: ShopParam },
  responses: { 200: jsonResponse(ShopSecrets, "The new secrets, shown once"), 404: jsonResponse(ErrorBody, "No such shop") },
});

const base = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
base.use("/v1/admin/*", requireAdmin);

export const adminRoutes = base
  .openapi(createShop, async (c) => {
    const body = c.req.valid("json");
    const { shown, stored } = await mintSecrets(c.env.BACKROOM_MASTER_KEY, body.id, body.platformWebhookSecret);
    const created = await insertShop(c.env.DB, { ...body, lowStockThreshold: body.lowStockThreshold ?? 5, ...stored }, Date.now());
    if (!created) throw new ApiError(409, "shop_exists", `A shop "${body.id}" already exists`);
    return c.json(shown, 201);
  })
  .openapi(rotateSecrets, async (c) => {
    const { shop } = c.req.valid("param");
    const existing = await getShop(c.env.DB, shop);
    if (!existing) throw new ApiError(404, "shop_not_found", "No such shop");
    // The platform's webhook secret is the platform's to change, so it survives a rotation.
    const platformSecret = existing.platformSecretSealed
      ? await unseal(c.env.BACKROOM_MASTER_KEY, `${shop}/platform`, existing.platformSecretSealed)
      : undefined;
    const { shown, stored } = await mintSecrets(c.env.BACKROOM_MASTER_KEY, shop, platformSecret);
    await replaceSecrets(c.env.DB, shop, stored);
    return c.json(shown, 200);
  });
