import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { askPage, donePage } from "../back-in-stock/pages";
import { sendBackInStockWebhooks } from "../back-in-stock/webhooks";
import {
  BackInStockOffer,
  BackInStockSettings,
  BackInStockSettingsView,
  BackInStockSubscribe,
  BackInStockSubscribed,
  BackInStockTokenQuery,
  type BackInStockWebhook,
  ErrorBody,
  ShopParam,
} from "../contract";
import { auditStatement, OPERATOR } from "../db/audit";
import { loadAvailability, loadSkuStock } from "../db/availability";
import { confirmSubscription, deleteSubscription, getBackInStockConfig, insertWebhook, putBackInStockConfig, upsertSubscription } from "../db/back-in-stock";
import { getShop } from "../db/shops";
import { diffFields } from "../domain/audit-diff";
import { randomBytes, toHex } from "../domain/encoding";
import { newWebhookSecret, seal } from "../domain/secrets";
import { signSubscriptionToken, type TokenPurpose, verifySubscriptionToken } from "../domain/subscription-token";
import type { AppEnv } from "../http/app-env";
import { requireAdmin } from "../http/auth";
import { ApiError } from "../http/error";
import { jsonResponse } from "../http/openapi";
import { assertOutboundUrl } from "../http/outbound-url";
import { subscribeLimited } from "../http/subscribe-limit";
import { validationHook } from "../http/validation";
import { isLocalMode } from "../outbound/local-mode";

/**
 * Back-in-stock "notify me" (see worker/contract/back-in-stock.ts). The public routes live under
 * `/v1/shops/:shop/`, so publicRoutes' middleware for that prefix (loadShop, shopCors) runs before
 * them: this sub-app is mounted after it in app.ts.
 */

/** How long a confirmation link works. */
export const CONFIRM_TTL_SECONDS = 7 * 86_400;
const FIRST_RETRY_MS = 60_000;

const putSettings = createRoute({
  method: "put",
  path: "/v1/admin/shops/{shop}/back-in-stock",
  summary: "Turn back-in-stock notify-me on or off, set where its signed webhooks go and the consent text",
  security: [{ operator: [] }],
  request: { params: ShopParam, body: { content: { "application/json": { schema: BackInStockSettings } }, required: true } },
  responses: {
    200: jsonResponse(BackInStockSettingsView, "The settings in force; `secret` only when it was just minted"),
    400: jsonResponse(ErrorBody, "Invalid settings or a URL the edge may not call"),
    404: jsonResponse(ErrorBody, "No such shop"),
  },
});

const getSettings = createRoute({
  method: "get",
  path: "/v1/admin/shops/{shop}/back-in-stock",
  summary: "The shop's back-in-stock settings (never the secret)",
  security: [{ operator: [] }],
  request: { params: ShopParam },
  responses: { 200: jsonResponse(BackInStockSettingsView, "The settings in force"), 404: jsonResponse(ErrorBody, "No such shop, or never set") },
});

const offer = createRoute({
  method: "get",
  path: "/v1/shops/{shop}/back-in-stock",
  summary: "Whether the shop offers back-in-stock notifications, and the consent text to show",
  request: { params: ShopParam },
  responses: { 200: jsonResponse(BackInStockOffer, "The offer"), 404: jsonResponse(ErrorBody, "No such shop") },
});

const subscribe = createRoute({
  method: "post",
  path: "/v1/shops/{shop}/back-in-stock/subscriptions",
  summary: "Ask to be told when a sold-out SKU is back (double opt-in: the shop emails a confirmation link)",
  request: { params: ShopParam, body: { content: { "application/json": { schema: BackInStockSubscribe } }, required: true } },
  responses: {
    202: jsonResponse(BackInStockSubscribed, "Recorded; the shop was asked to send the confirmation email"),
    400: jsonResponse(ErrorBody, "Invalid request (no consent, bad email…)"),
    404: jsonResponse(ErrorBody, "No such shop or SKU, or the shop does not offer notifications"),
    409: jsonResponse(ErrorBody, "The SKU is available now, or the consent text shown is not the shop's current one"),
    429: jsonResponse(ErrorBody, "Too many subscriptions from this client or for this email"),
  },
});

const adminBase = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
adminBase.use("/v1/admin/shops/:shop/back-in-stock", requireAdmin);

const view = (c: { enabled: boolean; webhookUrl: string; consentText: string }) => ({
  enabled: c.enabled,
  webhookUrl: c.webhookUrl,
  consentText: c.consentText,
});
const iso = (ms: number) => new Date(ms).toISOString();

export const backInStockRoutes = adminBase
  .openapi(putSettings, async (c) => {
    const { shop } = c.req.valid("param");
    if (!(await getShop(c.env.DB, shop))) throw new ApiError(404, "shop_not_found", "No such shop");
    const body = c.req.valid("json");
    assertOutboundUrl(body.webhookUrl, isLocalMode(c.env), "webhookUrl");
    const before = await getBackInStockConfig(c.env.DB, shop);
    const secret = !before || body.rotateSecret ? newWebhookSecret() : undefined;
    const secretSealed = secret ? await seal(c.env.BACKROOM_MASTER_KEY, `${shop}/back-in-stock`, secret) : (before?.secretSealed ?? "");
    const after = { enabled: body.enabled, webhookUrl: body.webhookUrl, consentText: body.consentText, secretSealed };
    const now = Date.now();
    const changes = diffFields(before && { ...view(before), secret: "" }, { ...view(after), ...(secret ? { secret } : { secret: "" }) }, new Set(["secret"]));
    await c.env.DB.batch([
      putBackInStockConfig(c.env.DB, shop, after, now),
      ...(changes.length > 0
        ? [auditStatement(c.env.DB, { shop, actor: OPERATOR, action: "back_in_stock.changed", target: "back-in-stock", changes }, now)]
        : []),
    ]);
    return c.json({ ...view(after), ...(secret ? { secret } : {}) }, 200);
  })
  .openapi(getSettings, async (c) => {
    const { shop } = c.req.valid("param");
    const config = await getBackInStockConfig(c.env.DB, shop);
    if (!config) throw new ApiError(404, "back_in_stock_not_set", "Back-in-stock has not been set up for this shop");
    return c.json(view(config), 200);
  })
  .openapi(offer, async (c) => {
    const config = await getBackInStockConfig(c.env.DB, c.var.shop.id);
    const body = config?.enabled ? { enabled: true, consentText: config.consentText } : { enabled: false };
    return c.json(body, 200, { "cache-control": "public, max-age=60" });
  })
  .openapi(subscribe, async (c) => {
    const shop = c.var.shop;
    const req = c.req.valid("json");
    const config = await getBackInStockConfig(c.env.DB, shop.id);
    if (!config?.enabled) throw new ApiError(404, "back_in_stock_disabled", "This shop does not offer back-in-stock notifications");
    if (req.consentText.trim() !== config.consentText)
      throw new ApiError(409, "consent_text_changed", "The consent text shown is not the shop's current one: reload");
    const now = Date.now();
    const limited = await subscribeLimited(c.env.DB, shop.id, c.req.header("cf-connecting-ip"), req.email, Number(c.env.LOOKUP_RATE_PER_MINUTE) || 10, now);
    if (limited) {
      c.header("retry-after", String(limited.retryAfter));
      throw new ApiError(429, "rate_limited", limited.message);
    }
    // The product as the ERP names it (the page may have named an alias or a GTIN).
    const [known] = await loadSkuStock(c.env.DB, shop.id, [req.sku]);
    if (!known) throw new ApiError(404, "sku_not_found", "The shop has no such product");
    const sku = known.sku;
    const [item] = await loadAvailability(c.env.DB, shop.id, [sku], shop.lowStockThreshold, new Date(now));
    if ((item?.available ?? 0) > 0) throw new ApiError(409, "sku_available", "This product is available now");
    const origin = new URL(c.req.url).origin;
    const link = async (purpose: TokenPurpose, id: string, expires: number) =>
      `${origin}/v1/shops/${shop.id}/back-in-stock/${purpose}?token=${await signSubscriptionToken(c.env.BACKROOM_MASTER_KEY, purpose, shop.id, id, expires)}`;
    const fresh = toHex(randomBytes(16));
    const email = req.email.toLowerCase();
    const row = await upsertSubscription(
      c.env.DB,
      { id: fresh, shop: shop.id, sku, email, locale: req.locale, consentText: config.consentText, unsubscribeUrl: await link("unsubscribe", fresh, 0) },
      now,
    );
    if (row.status === "pending") {
      const expires = Math.floor(now / 1000) + CONFIRM_TTL_SECONDS;
      const hook: BackInStockWebhook = {
        type: "back_in_stock.confirmation_requested",
        timestamp: iso(now),
        data: {
          shop: shop.id,
          sku,
          email,
          locale: req.locale ?? null,
          consentText: config.consentText,
          consentedAt: iso(now),
          confirmUrl: await link("confirm", row.id, expires),
          unsubscribeUrl: await link("unsubscribe", row.id, 0),
          expiresAt: iso(expires * 1000),
        },
      };
      const id = `msg_bis_${toHex(randomBytes(12))}`;
      await insertWebhook(c.env.DB, { id, shop: shop.id, type: hook.type, body: JSON.stringify(hook), retryAt: now + FIRST_RETRY_MS }, now).run();
      c.executionCtx.waitUntil(sendBackInStockWebhooks(c.env, fetch, now, [id]));
    }
    return c.json({ status: "confirmation_sent" as const }, 202);
  });

/** The subscription id a link's token vouches for, or the one error body (400) saying why not. */
async function tokenId(c: Context<AppEnv>, purpose: TokenPurpose): Promise<string> {
  const q = BackInStockTokenQuery.safeParse({ token: c.req.query("token") });
  if (!q.success) throw new ApiError(400, "token_missing", "The link has no token");
  const verified = await verifySubscriptionToken(c.env.BACKROOM_MASTER_KEY, purpose, c.var.shop.id, q.data.token, Date.now() / 1000);
  if ("failure" in verified) throw new ApiError(400, `token_${verified.failure}`, "This link is not valid (it may have expired): subscribe again");
  return verified.id;
}

const html = (c: Context<AppEnv>, body: string) => c.html(body, 200, { "cache-control": "no-store", "referrer-policy": "no-referrer" });
const self = (c: Context<AppEnv>) => {
  const url = new URL(c.req.url);
  return `${url.pathname}${url.search}`;
};

backInStockRoutes.get("/v1/shops/:shop/back-in-stock/confirm", async (c) => {
  await tokenId(c, "confirm");
  return html(c, askPage("Confirm your notification", `${c.var.shop.name} will email you once when this product is back in stock.`, "Confirm", self(c)));
});
backInStockRoutes.post("/v1/shops/:shop/back-in-stock/confirm", async (c) => {
  const id = await tokenId(c, "confirm");
  if (!(await confirmSubscription(c.env.DB, c.var.shop.id, id, Date.now())))
    throw new ApiError(404, "subscription_not_found", "This subscription no longer exists: subscribe again");
  return html(c, donePage("Confirmed", `${c.var.shop.name} will email you once when this product is back in stock.`));
});
backInStockRoutes.get("/v1/shops/:shop/back-in-stock/unsubscribe", async (c) => {
  await tokenId(c, "unsubscribe");
  return html(c, askPage("Unsubscribe", `Stop ${c.var.shop.name}'s back-in-stock email for this product?`, "Unsubscribe", self(c)));
});
// Also what RFC 8058 one-click unsubscribe POSTs (`List-Unsubscribe=One-Click`): idempotent.
backInStockRoutes.post("/v1/shops/:shop/back-in-stock/unsubscribe", async (c) => {
  const id = await tokenId(c, "unsubscribe");
  await deleteSubscription(c.env.DB, c.var.shop.id, id);
  return html(c, donePage("Unsubscribed", "You will get no back-in-stock email for this product."));
});

for (const [purpose, summary] of [
  ["confirm", "Double opt-in: GET shows a page with a button, POST confirms"],
  ["unsubscribe", "GET shows a page with a button, POST (also RFC 8058 one-click) unsubscribes and forgets the email"],
] as const) {
  for (const method of ["get", "post"] as const) {
    backInStockRoutes.openAPIRegistry.registerPath({
      method,
      path: `/v1/shops/{shop}/back-in-stock/${purpose}`,
      summary,
      request: { params: ShopParam, query: BackInStockTokenQuery },
      responses: {
        200: { description: "A small HTML page", content: { "text/html": { schema: z.string() } } },
        400: jsonResponse(ErrorBody, "No, a malformed, a forged or an expired token"),
        404: jsonResponse(ErrorBody, "No such shop or subscription"),
      },
    });
  }
}
