import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { CreateShop, DEFAULT_CUSTOMER_TOKEN_MAX_DAYS, ErrorBody, PatchShop, ShopParam, ShopSecrets, ShopView } from "../contract";
import { auditStatement, OPERATOR } from "../db/audit";
import { withPool } from "../pool/plane";
import { getShop, insertShop, replaceSecrets, setCustomerTokenMaxSeconds } from "../db/shops";
import { replaceShopKey } from "../db/staff-keys";
import { diffFields } from "../domain/audit-diff";
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
  };
  return { shown, stored, shopKeyHash: await hashKey(shown.staffKey) };
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

const patchShop = createRoute({
  method: "patch",
  path: "/v1/admin/shops/{shop}",
  summary: "Change a shop's settings: the longest lifetime of a customer token, in days",
  security: [{ operator: [] }],
  request: { params: ShopParam, body: { content: { "application/json": { schema: PatchShop } }, required: true } },
  responses: { 200: jsonResponse(ShopView, "The shop as it is now"), 404: jsonResponse(ErrorBody, "No such shop") },
});

const DAY_SECONDS = 86_400;
const SECRET_FIELDS_ROTATED = ["erpSecret", "staffKey", "customerSecret"].map((field) => ({ field, from: "***", to: "*** (changed)" }));

const base = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
base.use("/v1/admin/*", requireAdmin);

export const adminRoutes = base
  .openapi(createShop, async (c) => {
    const body = c.req.valid("json");
    const { shown, stored, shopKeyHash } = await mintSecrets(c.env.BACKROOM_MASTER_KEY, body.id, body.platformWebhookSecret);
    const now = Date.now();
    const { customerTokenMaxDays, ...shop } = body;
    // A new shop is a pool of one: its own object holds its data from the first write (and a copy of its registry row).
    const { DB } = withPool(c.env, body.id);
    const created = await insertShop(
      DB,
      {
        ...shop,
        lowStockThreshold: body.lowStockThreshold ?? 5,
        customerTokenMaxSeconds: (customerTokenMaxDays ?? DEFAULT_CUSTOMER_TOKEN_MAX_DAYS) * DAY_SECONDS,
        ...stored,
      },
      now,
    );
    if (!created) throw new ApiError(409, "shop_exists", `A shop "${body.id}" already exists`);
    await DB.batch([
      replaceShopKey(DB, body.id, shopKeyHash, now),
      auditStatement(DB, { shop: body.id, actor: OPERATOR, action: "shop.created", target: `shop/${body.id}`, changes: [] }, now),
    ]);
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
    const { shown, stored, shopKeyHash } = await mintSecrets(c.env.BACKROOM_MASTER_KEY, shop, platformSecret);
    const now = Date.now();
    await c.env.DB.batch([
      replaceSecrets(c.env.DB, shop, stored),
      replaceShopKey(c.env.DB, shop, shopKeyHash, now),
      auditStatement(c.env.DB, { shop, actor: OPERATOR, action: "shop.secrets_rotated", target: `shop/${shop}`, changes: SECRET_FIELDS_ROTATED }, now),
    ]);
    return c.json(shown, 200);
  })
  .openapi(patchShop, async (c) => {
    const { shop } = c.req.valid("param");
    const existing = await getShop(c.env.DB, shop);
    if (!existing) throw new ApiError(404, "shop_not_found", "No such shop");
    const days = c.req.valid("json").customerTokenMaxDays;
    const before = existing.customerTokenMaxSeconds / DAY_SECONDS;
    const now = Date.now();
    await c.env.DB.batch([
      setCustomerTokenMaxSeconds(c.env.DB, shop, days * DAY_SECONDS),
      auditStatement(
        c.env.DB,
        {
          shop,
          actor: OPERATOR,
          action: "shop.changed",
          target: `shop/${shop}`,
          changes: diffFields({ customerTokenMaxDays: before }, { customerTokenMaxDays: days }, new Set()),
        },
        now,
      ),
    ]);
    return c.json({ id: shop, name: existing.name, customerTokenMaxDays: days }, 200);
  });
