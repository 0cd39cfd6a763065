import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import {
  Availability,
  AvailabilityQuery,
  CustomerPrices,
  ErrorBody,
  LiveMessage,
  OrderLookup,
  OrderTracking,
  PricesQuery,
  ShopConfig,
  ShopParam,
} from "../contract";
import { loadAvailability, loadSkuStock } from "../db/availability";
import { getOrderByNumberAndEmail } from "../db/orders";
import { getCustomer, loadListPrices } from "../db/prices";
import { verifyCustomerToken } from "../domain/customer-token";
import { subtract } from "../domain/decimal";
import { unseal } from "../domain/secrets";
import { trackedShipments } from "../domain/tracking";
import type { AppEnv } from "../http/app-env";
import { availabilityCacheKey, availabilityKey, availabilityScope, recentAvailability, storeOnSecondMiss } from "../http/availability-memo";
import { shopCors } from "../http/cors";
import { ApiError } from "../http/error";
import { lookupLimited } from "../http/lookup-limit";
import { jsonResponse } from "../http/openapi";
import { loadRecentShop, loadShop } from "../http/shop";
import { validationHook } from "../http/validation";
import { liveSocket, SOCKET_SHOP_HEADER, SUBSCRIPTIONS_HEADER } from "../pool/sockets";
import { poolObject } from "../pool/plane";

const availability = createRoute({
  method: "get",
  path: "/v1/shops/{shop}/availability",
  summary: "Live availability of up to 100 SKUs (aliases and GTINs resolve)",
  request: { params: ShopParam, query: AvailabilityQuery },
  responses: { 200: jsonResponse(Availability, "Availability per SKU the edge knows"), 404: jsonResponse(ErrorBody, "No such shop") },
});

const prices = createRoute({
  method: "get",
  path: "/v1/shops/{shop}/prices",
  summary: "The signed-in B2B buyer's own prices and quantity breaks",
  request: {
    params: ShopParam,
    query: PricesQuery,
    headers: z.object({ "x-backroom-customer": z.string().optional() }),
  },
  responses: { 200: jsonResponse(CustomerPrices, "This customer's prices"), 401: jsonResponse(ErrorBody, "No valid customer token: no price") },
});

const lookup = createRoute({
  method: "post",
  path: "/v1/shops/{shop}/orders/lookup",
  summary: "Order status and tracking by order number and email",
  request: { params: ShopParam, body: { content: { "application/json": { schema: OrderLookup } }, required: true } },
  responses: {
    200: jsonResponse(OrderTracking, "The order's status, timeline and shipments"),
    404: jsonResponse(ErrorBody, "No order with that number and email (the same answer for either mistake)"),
    429: jsonResponse(ErrorBody, "Too many lookups from this client"),
  },
});

const config = createRoute({
  method: "get",
  path: "/v1/shops/{shop}/config",
  summary: "The shop's storefront locale and currency (what the widget formats with)",
  request: { params: ShopParam },
  responses: { 200: jsonResponse(ShopConfig, "Locale and currency"), 404: jsonResponse(ErrorBody, "No such shop") },
});

const LOOKUP_NOT_FOUND = () => new ApiError(404, "order_not_found", "No order matches that order number and email");

/** When a cached availability answer was read from D1 (ms), kept on the Cache API entry. */
const GENERATED_AT = "x-backroom-generated-at";
const availabilityHeaders = (seconds: number, source: "memory" | "hit" | "miss") => ({
  "cache-control": `public, max-age=${seconds}`,
  "x-backroom-cache": source,
});

const base = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
base.use("/v1/shops/:shop/availability", async (c, next) => {
  const seconds = Number(c.env.AVAILABILITY_CACHE_SECONDS) || 0;
  if (c.req.method !== "GET" || seconds <= 0) return next();
  const memo = recentAvailability.get(availabilityKey(c.req.param("shop") ?? "", c.req.queries("sku") ?? []), Date.now());
  if (!memo) return next();
  const origin = c.req.header("origin");
  return c.body(memo.json, 200, {
    "content-type": "application/json",
    ...availabilityHeaders(seconds, "memory"),
    vary: "Origin",
    ...(origin !== undefined && memo.origins.includes(origin) ? { "access-control-allow-origin": origin } : {}),
  });
});
base.on("GET", "/v1/shops/:shop/availability", loadRecentShop);
base.use("/v1/shops/:shop/*", loadShop, shopCors);

export const publicRoutes = base
  .openapi(availability, async (c) => {
    const shop = c.var.shop;
    const skus = [...new Set(c.req.valid("query").sku)].sort();
    // Micro-cache: every visitor of a product page asks the same question within seconds. The
    // answer is public (no customer data), so one shared entry per SKU set is safe.
    const seconds = Number(c.env.AVAILABILITY_CACHE_SECONDS) || 0;
    const key = availabilityCacheKey(availabilityScope(shop.id, shop.rulesVersion), skus);
    const memoKey = availabilityKey(shop.id, skus);
    // Memoised for what is left of the answer's freshness, so memory never extends its age.
    const remember = (body: Availability, generatedAt: number) =>
      recentAvailability.set(memoKey, { json: JSON.stringify(body), origins: shop.origins }, generatedAt + seconds * 1000 - Date.now(), Date.now());
    const cached = seconds > 0 ? await caches.default.match(key) : undefined;
    if (cached) {
      const body = Availability.parse(await cached.json());
      remember(body, Number(cached.headers.get(GENERATED_AT)) || 0);
      return c.json(body, 200, availabilityHeaders(seconds, "hit"));
    }
    const generatedAt = Date.now();
    const body: Availability = { items: await loadAvailability(c.env.DB, shop.id, skus, shop.lowStockThreshold, new Date()) };
    if (seconds > 0) {
      if (storeOnSecondMiss(memoKey, generatedAt)) {
        const entry = new Response(JSON.stringify(body), {
          headers: { "content-type": "application/json", "cache-control": `public, max-age=${seconds}`, [GENERATED_AT]: String(generatedAt) },
        });
        c.executionCtx.waitUntil(caches.default.put(key, entry));
      }
      remember(body, generatedAt);
    }
    return c.json(body, 200, availabilityHeaders(seconds, "miss"));
  })
  .openapi(prices, async (c) => {
    const shop = c.var.shop;
    // A price is personal: never stored by any cache, whatever the answer.
    c.header("cache-control", "private, no-store");
    const token = c.req.valid("header")["x-backroom-customer"];
    if (!token) throw new ApiError(401, "customer_token_missing", "Prices need a signed customer token");
    const secret = await unseal(c.env.BACKROOM_MASTER_KEY, `${shop.id}/customer`, shop.customerSecretSealed);
    const verified = await verifyCustomerToken(secret, token, Date.now() / 1000, shop.customerTokenMaxSeconds);
    if ("failure" in verified) throw new ApiError(401, `customer_token_${verified.failure}`, "The customer token is not valid for this shop");
    const customer = await getCustomer(c.env.DB, shop.id, verified.customerId);
    if (!customer) throw new ApiError(401, "customer_unknown", "The customer token is not valid for this shop");
    const breaks = await loadListPrices(c.env.DB, shop.id, customer.priceList, c.req.valid("query").sku);
    const creditAvailable = customer.creditLimit !== undefined ? subtract(customer.creditLimit, customer.balance ?? "0") : undefined;
    return c.json(
      {
        currency: customer.currency ?? shop.currency,
        customer: {
          company: customer.company,
          ...(customer.paymentTerms ? { paymentTerms: customer.paymentTerms } : {}),
          ...(creditAvailable !== undefined ? { creditAvailable } : {}),
        },
        items: [...breaks].map(([sku, { unit, breaks: b }]) => ({ sku, unitPrice: b[0]?.unitPrice ?? "0", breaks: b, ...(unit ? { unit } : {}) })),
      },
      200,
    );
  })
  .openapi(lookup, async (c) => {
    const shop = c.var.shop;
    const { orderNumber, email } = c.req.valid("json");
    const perMinute = Number(c.env.LOOKUP_RATE_PER_MINUTE) || 10;
    const limited = await lookupLimited(c.env.DB, shop.id, c.req.header("cf-connecting-ip"), orderNumber, perMinute, Date.now());
    if (limited) {
      c.header("retry-after", String(limited.retryAfter));
      throw new ApiError(429, "rate_limited", limited.message);
    }
    const order = await getOrderByNumberAndEmail(c.env.DB, shop.id, orderNumber, email);
    if (!order) throw LOOKUP_NOT_FOUND();
    return c.json(
      {
        orderNumber: order.orderNumber ?? orderNumber,
        status: order.status,
        timeline: order.timeline,
        shipments: trackedShipments(order.shipments),
      },
      200,
    );
  })
  .openapi(config, (c) => c.json({ locale: c.var.shop.locale, currency: c.var.shop.currency }, 200, { "cache-control": "public, max-age=300" }));

/** Live stock over a WebSocket, held by the object of the shop's stock pool. Described by hand: an upgrade has no JSON response. */
publicRoutes.openAPIRegistry.registerPath({
  method: "get",
  path: "/v1/shops/{shop}/live",
  summary: "Live stock over a WebSocket (send `Upgrade: websocket`); server messages are LiveMessage frames",
  request: { params: ShopParam, query: AvailabilityQuery },
  responses: {
    101: { description: "Switched to a WebSocket; each text frame is one LiveMessage", content: { "application/json": { schema: LiveMessage } } },
    400: jsonResponse(ErrorBody, "No or too many sku parameters"),
    404: jsonResponse(ErrorBody, "No such shop"),
    426: jsonResponse(ErrorBody, "Not a WebSocket upgrade"),
  },
});
publicRoutes.get("/v1/shops/:shop/live", async (c) => {
  if (c.req.header("upgrade") !== "websocket") throw new ApiError(426, "websocket_required", "Connect with a WebSocket");
  const asked = AvailabilityQuery.safeParse({ sku: c.req.queries("sku") ?? [] });
  if (!asked.success) throw new ApiError(400, "validation_failed", "1 to 100 sku parameters are required");
  const stock = await loadSkuStock(c.env.DB, c.var.shop.id, asked.data.sku);
  const resolved = new Map(stock.map((s) => [s.asked, s.sku]));
  // Unknown SKUs are watched under their own name: they may be pushed later.
  const subs = asked.data.sku.map((a) => ({ asked: a, sku: resolved.get(a) ?? a }));
  // Only the headers the worker sets itself: nothing the client sends reaches the object (a staff ticket never opens a staff socket here).
  const headers = { upgrade: "websocket", [SUBSCRIPTIONS_HEADER]: JSON.stringify(subs), [SOCKET_SHOP_HEADER]: c.var.shop.id };
  return liveSocket(await poolObject(c.env, c.var.shop.poolId).fetch(new Request(c.req.url, { headers })));
});
