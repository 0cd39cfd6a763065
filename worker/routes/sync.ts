import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { ErrorBody, ReplayResult, ShopId, SyncHealth } from "../contract";
import { auditStatement } from "../db/audit";
import type { AppEnv } from "../http/app-env";
import { requireScope } from "../http/auth";
import { ApiError } from "../http/error";
import { jsonResponse } from "../http/openapi";
import { loadShop } from "../http/shop";
import { validationHook } from "../http/validation";
import { publishOrders } from "../hub/publish";
import { replayDelivery, syncHealth } from "../orders/deliveries";

const health = createRoute({
  method: "get",
  path: "/v1/staff/{shop}/sync",
  summary: "Delivery queue health: pending, retrying, failed, oldest age; failures to replay",
  security: [{ staff: [] }],
  request: { params: z.object({ shop: ShopId }) },
  responses: { 200: jsonResponse(SyncHealth, "The shop's delivery queue") },
});

const replay = createRoute({
  method: "post",
  path: "/v1/staff/{shop}/sync/{deliveryId}/replay",
  summary: "Put a failed delivery back on the queue (same idempotency key, fresh retry budget)",
  security: [{ staff: [] }],
  request: { params: z.object({ shop: ShopId, deliveryId: z.string().min(1).max(128) }) },
  responses: { 202: jsonResponse(ReplayResult, "Queued again (or already delivered)"), 404: jsonResponse(ErrorBody, "No such delivery in this shop") },
});

const base = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
base.on("GET", "/v1/staff/:shop/sync", loadShop, requireScope("read"));
base.on("POST", "/v1/staff/:shop/sync/:deliveryId/replay", loadShop, requireScope("operate"));

export const syncRoutes = base
  .openapi(health, async (c) => c.json(await syncHealth(c.env.DB, c.var.shop.id, Date.now()), 200))
  .openapi(replay, async (c) => {
    const now = Date.now();
    const d = await replayDelivery(c.env, c.var.shop.id, c.req.valid("param").deliveryId, now);
    if (!d) throw new ApiError(404, "delivery_not_found", "This shop has no delivery with that id");
    await auditStatement(
      c.env.DB,
      { shop: c.var.shop.id, actor: c.var.staff, action: "delivery.replayed", target: `delivery/${d.id}`, changes: [{ field: "status", to: d.status }] },
      now,
    ).run();
    c.executionCtx.waitUntil(publishOrders(c.env, c.var.shop.id, [d.order_ref]));
    return c.json({ id: d.id, status: d.status }, 202);
  });
