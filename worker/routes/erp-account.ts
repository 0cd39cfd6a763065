import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import { invoicePdfKey, isPdf, MAX_PDF_BYTES } from "../account/documents";
import { ACCOUNT_ERP_LIMITS, ErrorBody, IngestResult, InvoiceRow, InvoicesPush, ReturnRow, ReturnsPush, ShopParam } from "../contract";
import type { AppEnv } from "../http/app-env";
import { verifyErpSignature } from "../http/erp-signature";
import { ApiError, validationError } from "../http/error";
import { jsonResponse } from "../http/openapi";
import { loadShop } from "../http/shop";
import { planInvoices, planReturns } from "../ingest/account";
import { alreadyReceived, applyPlan } from "../ingest/apply";
import type { Plan } from "../ingest/plan";
import { splitRows } from "../ingest/split-rows";
import { rowsOf } from "./erp";

/**
 * The ERP's `invoices` and `returns` pushes (issue 13) and its invoice PDFs. The two POSTs are
 * signed pushes like every other kind: mounted after `erpRoutes`, whose `POST /v1/erp/:shop/*`
 * middleware (body limit, shop, Standard Webhooks signature) guards them too. Both belong to the
 * shop itself (a channel of a pool pushes its own), like prices, customers and orders.
 */
const KINDS = {
  invoices: {
    envelope: z.strictObject({ invoices: rowsOf(ACCOUNT_ERP_LIMITS.invoices) }),
    push: InvoicesPush,
    plan: (db: D1Database, shop: string, raw: unknown[], now: number): Plan => {
      const { rows, rejected } = splitRows(InvoiceRow, raw, now);
      const plan = planInvoices(db, shop, rows, now);
      return { ...plan, rejected: [...rejected, ...plan.rejected] };
    },
    rows: (body: Record<string, unknown[]>) => body.invoices ?? [],
  },
  returns: {
    envelope: z.strictObject({ returns: rowsOf(ACCOUNT_ERP_LIMITS.returns) }),
    push: ReturnsPush,
    plan: (db: D1Database, shop: string, raw: unknown[], now: number): Plan => {
      const { rows, rejected } = splitRows(ReturnRow, raw, now);
      const plan = planReturns(db, shop, rows, now);
      return { ...plan, rejected: [...rejected, ...plan.rejected] };
    },
    rows: (body: Record<string, unknown[]>) => body.returns ?? [],
  },
} as const;

export const erpAccountRoutes = new OpenAPIHono<AppEnv>();

for (const [resource, kind] of Object.entries(KINDS)) {
  erpAccountRoutes.openAPIRegistry.registerPath({
    method: "post",
    path: `/v1/erp/{shop}/${resource}`,
    summary: `ERP push: ${resource} (Standard Webhooks signature with the erpSecret of the shop's stock pool)`,
    request: { params: ShopParam, body: { content: { "application/json": { schema: kind.push } }, required: true } },
    responses: {
      200: jsonResponse(IngestResult, "Per-row results; one bad row never blocks the rest"),
      400: jsonResponse(ErrorBody, "The body's envelope is malformed"),
      401: jsonResponse(ErrorBody, "Missing, stale or wrong signature"),
      413: jsonResponse(ErrorBody, "Body too large"),
      422: jsonResponse(ErrorBody, "Every row was rejected; nothing changed"),
    },
  });
  erpAccountRoutes.post(`/v1/erp/:shop/${resource}`, async (c) => {
    const shop = c.var.shop.id;
    const receipt = { shop, source: "erp", webhookId: c.req.header("webhook-id") ?? "", resource, now: Date.now() };
    if (await alreadyReceived(c.env.DB, receipt)) return c.json({ applied: 0, stale: 0, rejected: [], duplicate: true } satisfies IngestResult, 200);
    let json: unknown;
    try {
      json = JSON.parse(await c.req.text());
    } catch {
      throw new ApiError(400, "invalid_json", "The body is not JSON");
    }
    const body = kind.envelope.safeParse(json);
    if (!body.success) throw validationError(body.error.issues, `${resource} push`);
    const plan = kind.plan(c.env.DB, shop, kind.rows(body.data), receipt.now);
    if (!plan.steps.some((s) => s.row !== undefined)) {
      throw new ApiError(422, "all_rows_rejected", "No row of this push could be applied; nothing changed", { rejected: plan.rejected.slice(0, 100) });
    }
    return c.json(await applyPlan(c.env.DB, receipt, plan), 200);
  });
}

// The ERP's own rendering of an invoice, pushed (instead of fetched on the first request): the raw
// PDF bytes, signed like a push. The invoice must have been pushed first.
const PDF_PATH = "/v1/erp/:shop/invoices/:number/pdf";
erpAccountRoutes.on(
  "PUT",
  PDF_PATH,
  bodyLimit({
    maxSize: MAX_PDF_BYTES,
    onError: () => {
      throw new ApiError(413, "payload_too_large", `An invoice PDF is at most ${MAX_PDF_BYTES} bytes`);
    },
  }),
  loadShop,
  verifyErpSignature,
);
erpAccountRoutes.openAPIRegistry.registerPath({
  method: "put",
  path: "/v1/erp/{shop}/invoices/{number}/pdf",
  summary: "ERP push: an invoice's PDF (raw application/pdf body, Standard Webhooks signature over its bytes)",
  request: { params: z.object({ shop: z.string(), number: z.string() }), body: { content: { "application/pdf": { schema: z.string() } }, required: true } },
  responses: {
    204: { description: "Stored; the invoice's buyer can open it" },
    401: jsonResponse(ErrorBody, "Missing, stale or wrong signature"),
    404: jsonResponse(ErrorBody, "The invoice has not been pushed"),
    413: jsonResponse(ErrorBody, "Over 20 MiB"),
    415: jsonResponse(ErrorBody, "The body is not a PDF"),
  },
});
erpAccountRoutes.put(PDF_PATH, async (c) => {
  const shop = c.var.shop.id;
  const number = c.req.param("number");
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (!isPdf(bytes)) throw new ApiError(415, "not_a_pdf", "The body is not a PDF (it must start with %PDF-)");
  const known = await c.env.DB.prepare("SELECT 1 AS one FROM invoices WHERE shop_id = ? AND number = ?").bind(shop, number).first();
  if (!known) throw new ApiError(404, "invoice_not_found", "Push the invoice before its PDF");
  await c.env.DOCUMENTS.put(invoicePdfKey(shop, number), bytes, { httpMetadata: { contentType: "application/pdf" } });
  await c.env.DB.prepare("UPDATE invoices SET pdf_available = 2 WHERE shop_id = ? AND number = ?").bind(shop, number).run();
  return c.body(null, 204);
});
