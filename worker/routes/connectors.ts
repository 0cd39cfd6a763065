import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { receiveErpNextWebhook } from "../connectors/erpnext/webhook";
import { pullErp } from "../connectors/jobs";
import { listCursors, listRuns } from "../connectors/runs";
import { loadErpSettings, loadPlatformSettings, redact, saveSettings } from "../connectors/settings";
import { ErrorBody, ShopId } from "../contract";
import { ConnectorSlot, ConnectorsView, ErpConnectorSettings, PlatformStockSettings, PutConnector } from "../contract/connectors";
import type { AppEnv } from "../http/app-env";
import { requireStaff } from "../http/auth";
import { ApiError } from "../http/error";
import { jsonResponse } from "../http/openapi";
import { loadShop } from "../http/shop";
import { validationHook } from "../http/validation";
import { syncPlatformStock } from "../platform-stock/sync";

const iso = (ms: number) => new Date(ms).toISOString();

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
  summary: "Set the ERP connector (odoo | erpnext) or the platform stock connector (shopify | woocommerce)",
  security: [{ staff: [] }],
  request: {
    params: z.object({ shop: ShopId, slot: ConnectorSlot }),
    body: { content: { "application/json": { schema: PutConnector } }, required: true },
  },
  responses: {
    200: jsonResponse(z.object({ slot: ConnectorSlot, kind: z.string(), enabled: z.boolean() }), "Saved"),
    400: jsonResponse(ErrorBody, "Settings invalid for the slot"),
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

const base = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
base.use("/v1/staff/:shop/connectors", loadShop, requireStaff);
base.use("/v1/staff/:shop/connectors/*", loadShop, requireStaff);

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
    const fits = slot === "erp" ? ErpConnectorSettings.safeParse(body.settings).success : PlatformStockSettings.safeParse(body.settings).success;
    if (!fits) throw new ApiError(400, "wrong_slot", `A ${body.settings.kind} connector does not belong in the ${slot} slot`);
    await saveSettings(c.env, c.var.shop.id, slot, body.settings, body.enabled, Date.now());
    return c.json({ slot, kind: body.settings.kind, enabled: body.enabled }, 200);
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
