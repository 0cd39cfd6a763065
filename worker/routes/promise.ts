import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { ErrorBody, PromiseAnswer, PromiseCart, PromiseQuery, ShopParam } from "../contract";
import { loadPromiseSnapshot } from "../db/promise-snapshot";
import type { AppEnv } from "../http/app-env";
import { requireScope } from "../http/auth";
import { ApiError } from "../http/error";
import { jsonResponse } from "../http/openapi";
import { loadShop } from "../http/shop";
import { validationHook } from "../http/validation";
import { answerCart } from "../promise/answer";

/**
 * The promise (issue 12): "can I get this many, and when?" for one SKU or a whole cart, from the
 * shop's stock pool within its channel rules. Public like availability, under `/v1/shops/:shop/`,
 * so publicRoutes' middleware (loadShop, shopCors) runs first: mounted after it in app.ts.
 */

const single = createRoute({
  method: "get",
  path: "/v1/shops/{shop}/promise",
  summary: "What ships now, on which dates, and when the whole quantity can ship, for one SKU (sales unit; aliases and GTINs resolve)",
  request: { params: ShopParam, query: PromiseQuery },
  responses: {
    200: jsonResponse(PromiseAnswer, "The promise for one line"),
    400: jsonResponse(ErrorBody, "Malformed sku or qty"),
    404: jsonResponse(ErrorBody, "No such shop, or a SKU the edge does not know"),
  },
});

const cart = createRoute({
  method: "post",
  path: "/v1/shops/{shop}/promise",
  summary: "The promise for a cart (up to 100 lines): lines take from the same stock, shared kit components counted once",
  request: { params: ShopParam, body: { content: { "application/json": { schema: PromiseCart } }, required: true } },
  responses: {
    200: jsonResponse(PromiseAnswer, "The promise per line, and when the whole cart can ship"),
    400: jsonResponse(ErrorBody, "Malformed cart"),
    404: jsonResponse(ErrorBody, "No such shop"),
    422: jsonResponse(ErrorBody, "A line names a SKU the edge does not know (`details.skus`)"),
  },
});

const today = () => new Date().toISOString().slice(0, 10);

async function promise(db: D1Database, shop: string, lines: ReadonlyArray<{ sku: string; qty: string }>, unknown: (skus: string[]) => ApiError) {
  const snapshot = await loadPromiseSnapshot(
    db,
    shop,
    lines.map((l) => l.sku),
    today(),
  );
  const missing = lines.filter((l) => !snapshot.known.has(snapshot.resolved.get(l.sku) ?? l.sku)).map((l) => l.sku);
  if (missing.length > 0) throw unknown([...new Set(missing)]);
  return answerCart(snapshot, lines);
}

export const promiseRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(single, async (c) => {
    const { sku, qty } = c.req.valid("query");
    c.header("cache-control", "no-store");
    const body = await promise(c.env.DB, c.var.shop.id, [{ sku, qty }], () => new ApiError(404, "unknown_sku", `The edge does not know ${sku}`));
    return c.json(body, 200);
  })
  .openapi(cart, async (c) => {
    const { lines } = c.req.valid("json");
    c.header("cache-control", "no-store");
    const body = await promise(
      c.env.DB,
      c.var.shop.id,
      lines,
      (skus) => new ApiError(422, "unknown_sku", "A line names a SKU the edge does not know", { skus }),
    );
    return c.json(body, 200);
  });

const staffSingle = createRoute({
  method: "get",
  path: "/v1/staff/{shop}/promise",
  summary: "The promise for one SKU and quantity as staff see it (the extension's product panel): the same answer as the public route",
  security: [{ staff: [] }],
  request: { params: ShopParam, query: PromiseQuery },
  responses: {
    200: jsonResponse(PromiseAnswer, "The promise for one line, with the receipts it draws from"),
    400: jsonResponse(ErrorBody, "Malformed sku or qty"),
    401: jsonResponse(ErrorBody, "No valid staff key"),
    404: jsonResponse(ErrorBody, "No such shop, or a SKU the edge does not know"),
  },
});

const staffBase = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
staffBase.on("GET", "/v1/staff/:shop/promise", loadShop, requireScope("read"));

export const staffPromiseRoutes = staffBase.openapi(staffSingle, async (c) => {
  const { sku, qty } = c.req.valid("query");
  c.header("cache-control", "private, no-store");
  const body = await promise(c.env.DB, c.var.shop.id, [{ sku, qty }], () => new ApiError(404, "unknown_sku", `The edge does not know ${sku}`));
  return c.json(body, 200);
});
