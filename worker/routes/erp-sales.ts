import { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { ErrorBody, IngestResult, ShopParam } from "../contract";
import { SALES_LIMIT, SalesPush } from "../contract/quality";
import { planSales } from "../forecast/sales-import";
import type { AppEnv } from "../http/app-env";
import { ApiError, validationError } from "../http/error";
import { alreadyReceived, applyPlan } from "../ingest/apply";

/**
 * `POST /v1/erp/:shop/sales`: an ERP's sales history (units per SKU, warehouse and day), the demand
 * the forecast learns from besides the orders the edge has seen. Signed like every ERP push: the
 * erpRoutes middleware on `POST /v1/erp/:shop/*` (body limit, shop, Standard Webhooks signature)
 * runs before this handler; a repeated `webhook-id` is acknowledged and not applied twice.
 */
export const erpSalesRoutes = new OpenAPIHono<AppEnv>();

const Envelope = z.strictObject({ sales: z.array(z.unknown()).min(1).max(SALES_LIMIT) });

erpSalesRoutes.openAPIRegistry.registerPath({
  method: "post",
  path: "/v1/erp/{shop}/sales",
  summary: "ERP push: sales history for the demand forecast (Standard Webhooks signature with the erpSecret of the shop's stock pool)",
  request: { params: ShopParam, body: { content: { "application/json": { schema: SalesPush } }, required: true } },
  responses: {
    200: { description: "Per-row results; one bad row never blocks the rest", content: { "application/json": { schema: IngestResult } } },
    400: { description: "The body's envelope is malformed", content: { "application/json": { schema: ErrorBody } } },
    401: { description: "Missing, stale or wrong signature", content: { "application/json": { schema: ErrorBody } } },
    422: { description: "Every row was rejected; nothing changed", content: { "application/json": { schema: ErrorBody } } },
  },
});

erpSalesRoutes.post("/v1/erp/:shop/sales", async (c) => {
  const shop = c.var.shop;
  const receipt = { shop: shop.id, source: "erp", webhookId: c.req.header("webhook-id") ?? "", resource: "sales", now: Date.now() };
  if (await alreadyReceived(c.env.DB, receipt)) return c.json({ applied: 0, stale: 0, rejected: [], duplicate: true } satisfies IngestResult, 200);
  let json: unknown;
  try {
    json = JSON.parse(await c.req.text());
  } catch {
    throw new ApiError(400, "invalid_json", "The body is not JSON");
  }
  const envelope = Envelope.safeParse(json);
  if (!envelope.success) throw validationError(envelope.error.issues, "sales push");
  const plan = planSales(c.env.DB, shop.poolId, envelope.data.sales, new Date(receipt.now).toISOString().slice(0, 10));
  if (plan.steps.length === 0) {
    throw new ApiError(422, "all_rows_rejected", "No row of this push could be applied; nothing changed", { rejected: plan.rejected.slice(0, 100) });
  }
  return c.json(await applyPlan(c.env.DB, receipt, plan), 200);
});
