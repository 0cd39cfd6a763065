import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import { z } from "zod";
import { pullErp } from "../connector-jobs";
import { receiveErpNextWebhook } from "../connectors/erpnext/webhook";
import { listCursors, listRuns } from "../connectors/runs";
import { loadErpSettings, loadPlatformSettings, redact, SECRET_KEYS, saveSettings } from "../connectors/settings";
import { ErrorBody, SetWebhookSecret, ShopId, ShopParam, WebhookSecretShown } from "../contract";
import { ConnectorSlot, ConnectorsView, PlatformStockSettings, PutConnector, PutErpConnector } from "../contract/connectors";
import { type Actor, auditStatement, OPERATOR } from "../db/audit";
import { getShop } from "../db/shops";
import { diffFields } from "../domain/audit-diff";
import { newKey } from "../domain/secrets";
import type { AppEnv } from "../http/app-env";
import { requireAdmin, requireScope } from "../http/auth";
import { ApiError } from "../http/error";
import { jsonResponse } from "../http/openapi";
import { assertOutboundUrl } from "../http/outbound-url";
import { loadShop } from "../http/shop";
import { validationHook } from "../http/validation";
import { isLocalMode } from "../outbound/local-mode";
import { syncPlatformStock } from "../platform-stock/sync";

const iso = (ms: number) => new Date(ms).toISOString();

/** Saves a slot's settings with an audit entry (secrets masked); an ERPNext webhook secret survives a save of the same connector. */
async function saveConnector(env: Env, shop: string, slot: ConnectorSlot, body: PutConnector, actor: Actor): Promise<void> {
  assertOutboundUrl(remoteOf(body.settings), isLocalMode(env), "settings.url");
  const before = slot === "erp" ? await loadErpSettings(env, shop) : await loadPlatformSettings(env, shop);
  const kept =
    before?.settings.kind === "erpnext" && body.settings.kind === "erpnext" && before.settings.webhookSecret
      ? { webhookSecret: before.settings.webhookSecret }
      : {};
  const settings = { ...body.settings, ...kept };
  const now = Date.now();
  const changes = diffFields(before ? { ...before.settings, enabled: before.enabled } : undefined, { ...settings, enabled: body.enabled }, SECRET_KEYS);
  await saveSettings(env, shop, slot, settings, body.enabled, now, [
    auditStatement(env.DB, { shop, actor, action: "connector.changed", target: `connector/${slot}`, changes }, now),
  ]);
}

const view = createRoute({
  method: "get",
  path: "/v1/staff/{shop}/connectors",
  summary: "Connector settings (secrets redacted), cursors, and the latest runs with their errors",
  security: [{ staff: [] }],
  request: { params: z.object({ shop: ShopId }), query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }) },
  responses: { 200: jsonResponse(ConnectorsView, "The shop's connectors and recent runs") },
});

const put = createRoute({
  method: "put",
  path: "/v1/staff/{shop}/connectors/{slot}",
  summary: "Set the platform stock connector (shopify | woocommerce); the erp slot is the operator's (403 operator_only)",
  security: [{ staff: [] }],
  request: {
    params: z.object({ shop: ShopId, slot: ConnectorSlot }),
    body: { content: { "application/json": { schema: PutConnector } }, required: true },
  },
  responses: {
    200: jsonResponse(z.object({ slot: ConnectorSlot, kind: z.string(), enabled: z.boolean() }), "Saved"),
    400: jsonResponse(ErrorBody, "Settings invalid for the slot"),
    403: jsonResponse(ErrorBody, "The erp slot: only the operator sets where ERP truth comes from (operator_only)"),
  },
});

const putErp = createRoute({
  method: "put",
  path: "/v1/admin/shops/{shop}/connectors/erp",
  summary: "Set the ERP connector (odoo | erpnext): where the edge pulls ERP truth from and with which credentials",
  security: [{ operator: [] }],
  request: { params: ShopParam, body: { content: { "application/json": { schema: PutErpConnector } }, required: true } },
  responses: {
    200: jsonResponse(z.object({ slot: ConnectorSlot, kind: z.string(), enabled: z.boolean() }), "Saved"),
    400: jsonResponse(ErrorBody, "Settings invalid"),
    404: jsonResponse(ErrorBody, "No such shop"),
  },
});

const run = createRoute({
  method: "post",
  path: "/v1/staff/{shop}/connectors/{slot}/run",
  summary: "Run the ERP pull or the platform stock sync now",
  security: [{ staff: [] }],
  request: { params: z.object({ shop: ShopId, slot: ConnectorSlot }) },
  responses: {
    200: jsonResponse(z.object({ runId: z.string().optional(), status: z.string() }), "The run's outcome"),
    404: jsonResponse(ErrorBody, "No connector"),
  },
});

const webhookSecret = createRoute({
  method: "post",
  path: "/v1/admin/shops/{shop}/connectors/erp/webhook-secret",
  summary: "Set the ERPNext connector's webhook secret (or have the edge generate one); answered once",
  security: [{ operator: [] }],
  request: { params: ShopParam, body: { content: { "application/json": { schema: SetWebhookSecret } }, required: false } },
  responses: {
    200: jsonResponse(WebhookSecretShown, "The secret to put into ERPNext's Webhook documents, shown once"),
    404: jsonResponse(ErrorBody, "No such shop, or no ERPNext connector"),
  },
});

/** ERP truth comes only from where the operator points the edge: a staff key, whatever its scopes, does not set the erp slot. */
const operatorOnlyErpSlot = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.param("slot") === "erp")
    throw new ApiError(403, "operator_only", "Only the operator sets the ERP connector (PUT /v1/admin/shops/:shop/connectors/erp)", { slot: "erp" });
  await next();
});

const base = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
base.on("GET", "/v1/staff/:shop/connectors", loadShop, requireScope("read"));
base.on("PUT", "/v1/staff/:shop/connectors/:slot", loadShop, requireScope("configure"), operatorOnlyErpSlot);
base.on("POST", "/v1/staff/:shop/connectors/:slot/run", loadShop, requireScope("operate"));
base.use("/v1/admin/shops/:shop/connectors/*", requireAdmin);

/** The URL a connector's settings make the edge call. */
const remoteOf = (s: PutConnector["settings"]): string => {
  if (s.kind === "shopify") return s.shopDomain.includes("://") ? s.shopDomain : `https://${s.shopDomain}`;
  return s.kind === "bigcommerce" ? s.apiUrl : s.url;
};

export const connectorRoutes = base
  .openapi(view, async (c) => {
    const shop = c.var.shop.id;
    const connectors = [];
    for (const stored of [await loadErpSettings(c.env, shop), await loadPlatformSettings(c.env, shop)]) {
      if (stored)
        connectors.push({
          slot: stored.slot,
          kind: stored.settings.kind,
          enabled: stored.enabled,
          updatedAt: iso(stored.updatedAt),
          settings: redact(stored.settings),
        });
    }
    return c.json({ connectors, cursors: await listCursors(c.env.DB, shop), runs: await listRuns(c.env.DB, shop, c.req.valid("query").limit) }, 200);
  })
  .openapi(put, async (c) => {
    const { slot } = c.req.valid("param");
    const body = c.req.valid("json");
    if (!PlatformStockSettings.safeParse(body.settings).success)
      throw new ApiError(400, "wrong_slot", `A ${body.settings.kind} connector does not belong in the ${slot} slot`);
    await saveConnector(c.env, c.var.shop.id, slot, body, c.var.staff);
    return c.json({ slot, kind: body.settings.kind, enabled: body.enabled }, 200);
  })
  .openapi(putErp, async (c) => {
    const { shop } = c.req.valid("param");
    const body = c.req.valid("json");
    const found = await getShop(c.env.DB, shop);
    if (!found) throw new ApiError(404, "shop_not_found", "No such shop");
    // A channel of a pool gets ERP truth through the pool: its root pulls once for every channel.
    if (found.poolId !== shop)
      throw new ApiError(409, "pool_channel", `"${shop}" sells from the pool "${found.poolId}"; set the ERP connector there`, { pool: found.poolId });
    await saveConnector(c.env, shop, "erp", body, OPERATOR);
    return c.json({ slot: "erp" as const, kind: body.settings.kind, enabled: body.enabled }, 200);
  })
  .openapi(run, async (c) => {
    const { slot } = c.req.valid("param");
    if (slot === "erp") {
      const outcome = await pullErp(c.env, c.var.shop.id);
      if (!outcome) throw new ApiError(404, "connector_not_found", "No enabled ERP connector");
      return c.json({ runId: outcome.runId, status: outcome.status }, 200);
    }
    const outcome = await syncPlatformStock(c.env, c.var.shop.id);
    if (!outcome) throw new ApiError(404, "connector_not_found", "No enabled platform connector");
    return c.json({ runId: outcome.runId, status: outcome.status }, 200);
  })
  .openapi(webhookSecret, async (c) => {
    const { shop } = c.req.valid("param");
    const stored = await loadErpSettings(c.env, shop);
    if (stored?.settings.kind !== "erpnext") throw new ApiError(404, "connector_not_found", "This shop has no ERPNext connector");
    const given = SetWebhookSecret.safeParse(await c.req.json().catch(() => ({})));
    if (!given.success) throw new ApiError(400, "validation_failed", "webhookSecret must be 24 to 200 characters");
    const secret = given.data.webhookSecret ?? newKey("brk_frappe");
    const now = Date.now();
    await saveSettings(c.env, shop, "erp", { ...stored.settings, webhookSecret: secret }, stored.enabled, now, [
      auditStatement(
        c.env.DB,
        {
          shop,
          actor: OPERATOR,
          action: "connector.webhook_secret_set",
          target: "connector/erp",
          changes: diffFields(stored.settings, { ...stored.settings, webhookSecret: secret }, SECRET_KEYS),
        },
        now,
      ),
    ]);
    return c.json({ webhookSecret: secret }, 200);
  });

/** ERPNext's own webhooks (Webhook doctype, "Enable Security"): `X-Frappe-Webhook-Signature` over the raw body. */
connectorRoutes.openAPIRegistry.registerPath({
  method: "post",
  path: "/v1/hooks/erpnext/{shop}",
  summary: "ERPNext webhook (Item, Bin, Item Price, Customer, Sales Order, Delivery Note documents), signed with the connector's webhookSecret",
  request: { params: z.object({ shop: ShopId }) },
  responses: {
    200: jsonResponse(z.object({ applied: z.number(), stale: z.number(), rejected: z.number(), duplicate: z.boolean() }), "Applied"),
    401: jsonResponse(ErrorBody, "Bad signature"),
  },
});
connectorRoutes.post("/v1/hooks/erpnext/:shop", loadShop, async (c) => {
  const body = await c.req.text();
  if (body.length > 1_000_000) throw new ApiError(413, "payload_too_large", "An ERPNext webhook is at most 1 MB");
  const result = await receiveErpNextWebhook(c.env, c.var.shop, body, c.req.header("x-frappe-webhook-signature"));
  return c.json(result, 200);
});
