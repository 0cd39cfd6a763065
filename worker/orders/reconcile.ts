import { z } from "zod";
import { listChangedShopifyOrders } from "../platforms/shopify";
import { listChangedWooOrders } from "../platforms/woocommerce";
import { applyOrderEvent } from "./apply";
import type { OrderEventInput } from "./platform-order";
import { getOrderSettings, setReconcileCursor, shopifyCredentials, wooCredentials } from "./settings";

/** How far back the first reconciliation of a shop looks. */
export const FIRST_LOOKBACK_MS = 24 * 60 * 60 * 1000;
/** The cursor trails the newest change seen, so orders sharing its timestamp are asked again (applying twice is harmless). */
export const CURSOR_OVERLAP_MS = 60 * 1000;

/**
 * The backstop for lost webhooks: asks the shop platform for orders changed since the stored
 * cursor and feeds them through the same merge as webhooks (idempotent, order-independent).
 */
export async function reconcileShop(env: Env, shop: string, doFetch: typeof fetch, now = Date.now()): Promise<number> {
  const settings = await getOrderSettings(env.DB, shop);
  const since = settings.reconcileCursor ?? new Date(now - FIRST_LOOKBACK_MS).toISOString();
  const shopify = await shopifyCredentials(env.BACKROOM_MASTER_KEY, shop, settings);
  const woo = await wooCredentials(env.BACKROOM_MASTER_KEY, shop, settings);
  let events: OrderEventInput[] = [];
  if (shopify) events = await listChangedShopifyOrders(shopify, doFetch, shop, since);
  else if (woo) events = await listChangedWooOrders(woo, doFetch, shop, since);
  else return 0;
  let newest = Date.parse(since);
  for (const e of events) {
    await applyOrderEvent(env, shop, e, now);
    if (e.order) newest = Math.max(newest, Date.parse(e.order.updatedAt));
  }
  const cursor = new Date(Math.max(Date.parse(since), newest - CURSOR_OVERLAP_MS)).toISOString();
  await setReconcileCursor(env.DB, shop, cursor, now);
  return events.length;
}

/** Reconciles every shop that has platform API credentials; one shop's failure never stops the others. */
export async function reconcileAll(env: Env, doFetch: typeof fetch, now = Date.now()): Promise<number> {
  const { results } = await env.DB.prepare("SELECT shop_id FROM shop_order_settings WHERE shopify_enc IS NOT NULL OR woocommerce_enc IS NOT NULL").all();
  let total = 0;
  for (const raw of results) {
    const { shop_id } = z.object({ shop_id: z.string() }).parse(raw);
    try {
      total += await reconcileShop(env, shop_id, doFetch, now);
    } catch (e) {
      console.error("reconcile", shop_id, e);
    }
  }
  return total;
}
