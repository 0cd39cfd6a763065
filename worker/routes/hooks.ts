import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { ErrorBody, HookAck, ShopParam } from "../contract";
import { OrderPlatform } from "../contract/orders";
import { toHex } from "../domain/encoding";
import { sha256 } from "../domain/hmac";
import { unseal } from "../domain/secrets";
import type { AppEnv } from "../http/app-env";
import { ApiError } from "../http/error";
import { loadShop } from "../http/shop";
import { checkWebhookId } from "../http/webhook-id";
import { writeInbox } from "../orders/inbox";
import type { InboxMessage } from "../orders/messages";
import { platformNamed } from "../platforms/registry";

/** The largest platform webhook accepted (Shopify caps order payloads well below this). */
export const MAX_HOOK_BODY_BYTES = 2 * 1024 * 1024;

/**
 * Verify over the raw bytes → write to the durable inbox (the platform's delivery id dedupes) →
 * queue the work → answer. Nothing is parsed before the proof holds.
 */
async function receive(c: Context<AppEnv>, platform: OrderPlatform) {
  const p = platformNamed(platform).webhook;
  const raw = new Uint8Array(await c.req.arrayBuffer());
  const headers = c.req.raw.headers;
  if (p.isPing?.(raw, headers)) return c.json({ ok: true, ignored: "ping" } satisfies HookAck, 200);
  if (p.deliveryHeader) checkWebhookId(p.deliveryHeader, c.req.header(p.deliveryHeader));
  const shop = c.var.shop;
  if (!shop.platformSecretSealed) throw new ApiError(401, "signature_invalid", "This shop has no platform webhook secret");
  const secret = await unseal(c.env.BACKROOM_MASTER_KEY, `${shop.id}/platform`, shop.platformSecretSealed);
  if (!(await p.verify(secret, raw, headers))) throw new ApiError(401, "signature_invalid", `${p.proofHeader} does not match the body`);
  const described = p.describe(raw, headers);
  checkWebhookId(p.deliveryHeader ?? "the delivery id", described.deliveryId);
  // A platform always sends its delivery id; without one, the body's hash still dedupes exact repeats.
  const deliveryId = described.deliveryId || `sha256:${toHex(await sha256(raw))}`;
  const fresh = await writeInbox(c.env.DB, { shop: shop.id, platform, deliveryId, topic: described.topic, body: new TextDecoder().decode(raw) }, Date.now());
  if (!fresh) return c.json({ ok: true, duplicate: true } satisfies HookAck, 200);
  // The work happens in the queue consumer: its bounded concurrency keeps a burst of orders from
  // crowding out the next webhook's own write (a backlog becomes queue lag, not 2xx latency).
  await c.env.ORDERS_QUEUE.send({ inbox: { shop: shop.id, platform, deliveryId } } satisfies InboxMessage);
  return c.json({ ok: true } satisfies HookAck, 200);
}

export const hookRoutes = new OpenAPIHono<AppEnv>();

hookRoutes.use(
  "/v1/hooks/:platform/:shop",
  bodyLimit({
    maxSize: MAX_HOOK_BODY_BYTES,
    onError: () => {
      throw new ApiError(413, "payload_too_large", `A webhook is at most ${MAX_HOOK_BODY_BYTES} bytes`);
    },
  }),
  loadShop,
);

for (const platform of OrderPlatform.options) {
  const p = platformNamed(platform).webhook;
  hookRoutes.openAPIRegistry.registerPath({
    method: "post",
    path: `/v1/hooks/${platform}/{shop}`,
    summary: `${platform} order webhook (${p.proofHeader} over the raw body; dedupe on ${p.deliveryHeader ?? "the delivery id"})`,
    request: { params: ShopParam },
    responses: {
      200: { description: "Accepted (or a duplicate, or an ignored ping/topic)", content: { "application/json": { schema: HookAck } } },
      400: {
        description: `${p.deliveryHeader ?? "The delivery id"} longer than 256 characters; nothing was written`,
        content: { "application/json": { schema: ErrorBody } },
      },
      401: { description: "Missing or wrong signature; nothing was written", content: { "application/json": { schema: ErrorBody } } },
      404: { description: "No such shop", content: { "application/json": { schema: ErrorBody } } },
      413: { description: "Body too large", content: { "application/json": { schema: ErrorBody } } },
    },
  });
  hookRoutes.post(`/v1/hooks/${platform}/:shop`, (c) => receive(c, platform));
}
