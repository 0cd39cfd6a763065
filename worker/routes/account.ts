import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import { authenticateBuyer } from "../account/buyer";
import { invoicePdf } from "../account/documents";
import { fileReturn, type Photo } from "../account/file-return";
import { accountSummary, buyerInvoice, buyerInvoices } from "../account/invoices";
import { buyerOrders, buyerReturns } from "../account/orders";
import { checkPhoto } from "../account/photo";
import { reorderQuote } from "../account/reorder";
import {
  AccountInvoices,
  AccountOrders,
  AccountOrdersQuery,
  AccountReturn,
  AccountReturns,
  AccountSummary,
  ErrorBody,
  InvoiceParam,
  OrderParam,
  RETURN_LIMITS,
  ReorderQuote,
  ReturnRequest,
  ShopParam,
} from "../contract";
import type { AppEnv } from "../http/app-env";
import { ApiError, validationError } from "../http/error";
import { jsonResponse } from "../http/openapi";
import { validationHook } from "../http/validation";

/**
 * The signed-in buyer's account (issue 13): `x-backroom-customer` as for `/prices`; every answer is
 * that buyer's own and `private, no-store`. Mounted after `publicRoutes`, whose `/v1/shops/:shop/*`
 * middleware loads the shop and applies the storefront CORS.
 */
const Customer = z.object({ "x-backroom-customer": z.string().optional() });
const unauthorized = { 401: jsonResponse(ErrorBody, "No valid customer token: nothing") };

const summary = createRoute({
  method: "get",
  path: "/v1/shops/{shop}/account",
  summary: "The buyer's account: company, terms, credit limit, balance, available credit, overdue amount",
  request: { params: ShopParam, headers: Customer },
  responses: { 200: jsonResponse(AccountSummary, "The account"), ...unauthorized },
});
const orders = createRoute({
  method: "get",
  path: "/v1/shops/{shop}/account/orders",
  summary: "The buyer's orders (paged, latest first) with status, tracking, invoices, returns and what may still be returned",
  request: { params: ShopParam, headers: Customer, query: AccountOrdersQuery },
  responses: { 200: jsonResponse(AccountOrders, "One page of orders"), ...unauthorized },
});
const invoices = createRoute({
  method: "get",
  path: "/v1/shops/{shop}/account/invoices",
  summary: "The buyer's invoices: open ones first (earliest due first), then the rest",
  request: { params: ShopParam, headers: Customer },
  responses: { 200: jsonResponse(AccountInvoices, "Invoices and credit notes"), ...unauthorized },
});
const pdf = createRoute({
  method: "get",
  path: "/v1/shops/{shop}/account/invoices/{number}/pdf",
  summary: "The invoice's PDF as the ERP renders it (kept in R2 after the first request); only for its own buyer",
  request: { params: InvoiceParam, headers: Customer },
  responses: {
    200: { description: "The PDF", content: { "application/pdf": { schema: z.string() } } },
    404: jsonResponse(ErrorBody, "No such invoice in this account, or the ERP has no PDF of it"),
    ...unauthorized,
  },
});
const reorder = createRoute({
  method: "get",
  path: "/v1/shops/{shop}/account/orders/{orderRef}/reorder",
  summary:
    "A past order's lines as they could be bought now: availability, the buyer's current price, the platform's variant id; lines no longer sold under `gone`",
  request: { params: OrderParam, headers: Customer },
  responses: { 200: jsonResponse(ReorderQuote, "The order, priced today"), 404: jsonResponse(ErrorBody, "No such order in this account"), ...unauthorized },
});
const returns = createRoute({
  method: "get",
  path: "/v1/shops/{shop}/account/returns",
  summary: "The buyer's returns with their status as the ERP decided it",
  request: { params: ShopParam, headers: Customer },
  responses: { 200: jsonResponse(AccountReturns, "Returns, newest first"), ...unauthorized },
});

const noStore = { "cache-control": "private, no-store" } as const;
const base = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
// Personal answers, whatever they are (errors too): never kept by any cache.
base.use("/v1/shops/:shop/account", async (c, next) => {
  await next();
  c.header("cache-control", noStore["cache-control"]);
});
base.use("/v1/shops/:shop/account/*", async (c, next) => {
  await next();
  c.header("cache-control", noStore["cache-control"]);
});

const buyerOf = (c: { env: Env; var: AppEnv["Variables"]; req: { header(name: string): string | undefined } }) =>
  authenticateBuyer(c.env, c.var.shop, c.req.header("x-backroom-customer"));

export const accountRoutes = base
  .openapi(summary, async (c) => c.json(await accountSummary(c.env.DB, c.var.shop.id, await buyerOf(c), Date.now()), 200))
  .openapi(orders, async (c) => {
    const buyer = await buyerOf(c);
    const { limit, cursor } = c.req.valid("query");
    return c.json(await buyerOrders(c.env.DB, c.var.shop.id, buyer, limit, cursor), 200);
  })
  .openapi(invoices, async (c) => c.json({ invoices: await buyerInvoices(c.env.DB, c.var.shop.id, (await buyerOf(c)).id, Date.now()) }, 200))
  .openapi(reorder, async (c) => c.json(await reorderQuote(c.env.DB, c.var.shop, await buyerOf(c), c.req.valid("param").orderRef, new Date()), 200))
  .openapi(returns, async (c) => c.json({ returns: await buyerReturns(c.env.DB, c.var.shop.id, await buyerOf(c)) }, 200))
  .openapi(pdf, async (c) => {
    const buyer = await buyerOf(c);
    const { number } = c.req.valid("param");
    const invoice = await buyerInvoice(c.env.DB, c.var.shop.id, buyer.id, number, Date.now());
    if (!invoice) throw new ApiError(404, "invoice_not_found", "No such invoice in this account");
    const body = invoice.pdf ? await invoicePdf(c.env, c.var.shop, invoice, fetch) : undefined;
    if (!body) throw new ApiError(404, "invoice_pdf_unavailable", "The ERP has no PDF of this invoice");
    await c.env.DB.prepare("UPDATE invoices SET pdf_available = 2 WHERE shop_id = ? AND number = ? AND pdf_available = 1").bind(c.var.shop.id, number).run();
    return c.body(body, 200, {
      "content-type": "application/pdf",
      "content-disposition": `inline; filename="${number.replace(/[^\w.-]/g, "_")}.pdf"`,
      "x-content-type-options": "nosniff",
      ...noStore,
    });
  });

/** The largest return request: the photo and a little JSON. */
const MAX_RETURN_BODY = RETURN_LIMITS.photoBytes + 64 * 1024;

/** `application/json` (no photo) or `multipart/form-data` with `request` (the JSON) and an optional `photo`. */
async function readReturnRequest(req: Request): Promise<{ request: ReturnRequest; photo: Photo | undefined }> {
  const type = req.headers.get("content-type") ?? "";
  let json: unknown;
  let photo: Photo | undefined;
  if (type.startsWith("multipart/form-data")) {
    let form: FormData;
    try {
      form = await req.formData();
    } catch {
      throw new ApiError(400, "invalid_form", "The body is not readable multipart/form-data");
    }
    const text = form.get("request");
    if (typeof text !== "string") throw new ApiError(400, "validation_failed", "The form needs a `request` field holding the JSON request");
    json = parseJson(text);
    const file = form.get("photo");
    if (file !== null && typeof file !== "string") {
      const bytes = new Uint8Array(await file.arrayBuffer());
      photo = { bytes, type: checkPhoto(bytes, file.type) };
    }
  } else if (type.startsWith("application/json")) {
    json = parseJson(await req.text());
  } else throw new ApiError(415, "unsupported_media_type", "Send application/json, or multipart/form-data with a photo");
  const parsed = ReturnRequest.safeParse(json);
  if (!parsed.success) throw validationError(parsed.error.issues, "return request");
  return { request: parsed.data, photo };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, "invalid_json", "The request is not JSON");
  }
}

accountRoutes.openAPIRegistry.registerPath({
  method: "post",
  path: "/v1/shops/{shop}/account/returns",
  summary: "File a return for a delivered order (JSON, or multipart/form-data with `request` and a `photo` ≤ 5 MB: JPEG, PNG or WebP)",
  request: { params: ShopParam, headers: Customer, body: { content: { "application/json": { schema: ReturnRequest } }, required: true } },
  responses: {
    201: jsonResponse(AccountReturn, "Filed; on its way to the ERP (status requested)"),
    400: jsonResponse(ErrorBody, "Malformed request"),
    404: jsonResponse(ErrorBody, "No such order in this account"),
    409: jsonResponse(ErrorBody, "Another return took these units meanwhile"),
    413: jsonResponse(ErrorBody, "The photo is over 5 MB"),
    415: jsonResponse(ErrorBody, "The photo is not a JPEG, PNG or WebP image"),
    422: jsonResponse(ErrorBody, "A line asks for more than was delivered and not yet returned"),
    429: jsonResponse(ErrorBody, "Too many return requests from this buyer"),
    ...unauthorized,
  },
});
accountRoutes.post(
  "/v1/shops/:shop/account/returns",
  bodyLimit({
    maxSize: MAX_RETURN_BODY,
    onError: () => {
      throw new ApiError(413, "payload_too_large", `A return request is at most ${MAX_RETURN_BODY} bytes`);
    },
  }),
  async (c) => {
    // The token first: nobody without one learns anything about the body's rules.
    const buyer = await buyerOf(c);
    const { request, photo } = await readReturnRequest(c.req.raw);
    return c.json(await fileReturn(c.env, c.var.shop, buyer, request, photo, Date.now()), 201);
  },
);
