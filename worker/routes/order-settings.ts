import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { ErrorBody, OrderSettings, OrderSettingsView, ShopParam } from "../contract";
import { auditStatement, OPERATOR } from "../db/audit";
import { getShop } from "../db/shops";
import { diffFields } from "../domain/audit-diff";
import type { AppEnv } from "../http/app-env";
import { requireAdmin } from "../http/auth";
import { ApiError } from "../http/error";
import { jsonResponse } from "../http/openapi";
import { assertOutboundUrl } from "../http/outbound-url";
import { validationHook } from "../http/validation";
import { getOrderSettings, putOrderSettings, settingsView } from "../orders/settings";
import { isLocalMode } from "../outbound/local-mode";

const put = createRoute({
  method: "put",
  path: "/v1/admin/shops/{shop}/orders-settings",
  summary: "Set the shop's order pipeline: where orders go (ordersTo, erpEndpointUrl), reservation TTL, warehouse priority",
  security: [{ operator: [] }],
  request: { params: ShopParam, body: { content: { "application/json": { schema: OrderSettings } }, required: true } },
  responses: { 200: jsonResponse(OrderSettingsView, "The settings now in force"), 404: jsonResponse(ErrorBody, "No such shop") },
});

const get = createRoute({
  method: "get",
  path: "/v1/admin/shops/{shop}/orders-settings",
  summary: "The shop's order pipeline settings",
  security: [{ operator: [] }],
  request: { params: ShopParam },
  responses: { 200: jsonResponse(OrderSettingsView, "The settings in force"), 404: jsonResponse(ErrorBody, "No such shop") },
});

const base = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
base.use("/v1/admin/shops/:shop/orders-settings", requireAdmin);

async function existing(db: D1Database, shop: string): Promise<void> {
  if (!(await getShop(db, shop))) throw new ApiError(404, "shop_not_found", "No such shop");
}

export const orderSettingsRoutes = base
  .openapi(put, async (c) => {
    const { shop } = c.req.valid("param");
    await existing(c.env.DB, shop);
    const body = c.req.valid("json");
    if (body.erpEndpointUrl) assertOutboundUrl(body.erpEndpointUrl, isLocalMode(c.env), "erpEndpointUrl");
    const before = settingsView(await getOrderSettings(c.env.DB, shop));
    const now = Date.now();
    const after = settingsView(await putOrderSettings(c.env.DB, shop, body, now));
    const changes = diffFields(before, after, new Set());
    if (changes.length > 0) {
      await auditStatement(c.env.DB, { shop, actor: OPERATOR, action: "orders_settings.changed", target: "orders-settings", changes }, now).run();
    }
    return c.json(after, 200);
  })
  .openapi(get, async (c) => {
    const { shop } = c.req.valid("param");
    await existing(c.env.DB, shop);
    return c.json(settingsView(await getOrderSettings(c.env.DB, shop)), 200);
  });
