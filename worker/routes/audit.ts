import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { AuditLog, AuditQuery, AuditSummary, ErrorBody, ShopParam } from "../contract";
import { listAudit } from "../db/audit";
import { getShop } from "../db/shops";
import type { AppEnv } from "../http/app-env";
import { requireAdmin, requireScope } from "../http/auth";
import { ApiError } from "../http/error";
import { jsonResponse } from "../http/openapi";
import { loadShop } from "../http/shop";
import { validationHook } from "../http/validation";

/** The audit log: every configuration change and replay, in full for the operator, summarised for staff. */

const operatorLog = createRoute({
  method: "get",
  path: "/v1/admin/shops/{shop}/audit",
  summary: "Who changed what, when (old → new, secrets masked), newest first",
  security: [{ operator: [] }],
  request: { params: ShopParam, query: AuditQuery },
  responses: { 200: jsonResponse(AuditLog, "The shop's audit log"), 404: jsonResponse(ErrorBody, "No such shop") },
});

const staffSummary = createRoute({
  method: "get",
  path: "/v1/staff/{shop}/audit",
  summary: "Recent changes and replays: who, what and when, with the changed fields' names (scope read)",
  security: [{ staff: [] }],
  request: { params: ShopParam, query: AuditQuery },
  responses: { 200: jsonResponse(AuditSummary, "The shop's recent changes") },
});

const base = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
base.use("/v1/admin/shops/:shop/audit", requireAdmin);
base.use("/v1/staff/:shop/audit", loadShop, requireScope("read"));

export const auditRoutes = base
  .openapi(operatorLog, async (c) => {
    const { shop } = c.req.valid("param");
    if (!(await getShop(c.env.DB, shop))) throw new ApiError(404, "shop_not_found", "No such shop");
    return c.json({ entries: await listAudit(c.env.DB, shop, c.req.valid("query").limit) }, 200);
  })
  .openapi(staffSummary, async (c) => {
    const entries = await listAudit(c.env.DB, c.var.shop.id, c.req.valid("query").limit);
    return c.json(
      { entries: entries.map((e) => ({ at: e.at, actorName: e.actorName, action: e.action, target: e.target, fields: e.changes.map((ch) => ch.field) })) },
      200,
    );
  });
