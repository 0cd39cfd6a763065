import { loadAvailability } from "../db/availability";
import { claimRestock, skusWithSubscribers } from "../db/back-in-stock";
import type { Shop } from "../db/shops";
import { randomBytes, toHex } from "../domain/encoding";
import { channelsOfPool } from "../hub/channels";
import { sendBackInStockWebhooks } from "./webhooks";

/** Subscribers listed in one `stock.back_in_stock` webhook. */
export const SUBSCRIBERS_PER_WEBHOOK = 500;
/** Webhooks written per SKU per stock change; the rest wait for the SKU's next stock change. */
const WEBHOOKS_PER_SKU = 20;
/** When the cron retries a webhook that sending right away did not settle. */
const FIRST_RETRY_MS = 60_000;

/**
 * The stock-ingest hook: after an ERP stock push (or pull) touched `skus`, every SKU that now has
 * stock (`available > 0`, by each channel's own rules) and confirmed subscribers gets its
 * `stock.back_in_stock` webhook(s), each subscriber listed once, and they are sent at once (the cron
 * retries what fails). The stock belongs to the pool, so every channel of the pool is asked, not
 * only the shop whose URL the push used. Never fails its caller: the stock is already committed, and
 * what was claimed is in the outbox.
 *
 * @example
 * c.executionCtx.waitUntil(notifyBackInStock(c.env, c.var.shop, plan.touchedSkus));
 */
export async function notifyBackInStock(env: Env, shop: Pick<Shop, "id">, skus: readonly string[], doFetch: typeof fetch = fetch): Promise<void> {
  if (skus.length === 0) return;
  try {
    for (const channel of await channelsOfPool(env, shop.id)) {
      await notifyChannel(env, { id: channel.shop, lowStockThreshold: channel.lowStockThreshold }, skus, doFetch);
    }
  } catch (e) {
    console.error("notifyBackInStock", shop.id, e);
  }
}

async function notifyChannel(env: Env, shop: Pick<Shop, "id" | "lowStockThreshold">, skus: readonly string[], doFetch: typeof fetch): Promise<void> {
  const waiting = await skusWithSubscribers(env.DB, shop.id, skus);
  if (waiting.length === 0) return;
  const now = Date.now();
  const written: string[] = [];
  for (let i = 0; i < waiting.length; i += 100) {
    const items = await loadAvailability(env.DB, shop.id, waiting.slice(i, i + 100), shop.lowStockThreshold, new Date(now));
    for (const item of items) {
      if (item.available <= 0) continue;
      for (let n = 0; n < WEBHOOKS_PER_SKU; n++) {
        const webhookId = `msg_bis_${toHex(randomBytes(12))}`;
        const p = { shop: shop.id, sku: item.sku, available: item.available, webhookId, limit: SUBSCRIBERS_PER_WEBHOOK, retryAt: now + FIRST_RETRY_MS };
        const claimed = await claimRestock(env.DB, p, now);
        if (claimed > 0) written.push(webhookId);
        if (claimed < SUBSCRIBERS_PER_WEBHOOK) break;
      }
    }
  }
  if (written.length > 0) await sendBackInStockWebhooks(env, doFetch, now, written);
}
