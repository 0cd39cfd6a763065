import { platformApi, shopsWithConnector } from "../connectors/settings";
import type { OrderEventInput } from "../platforms/platform";
import { platformApiFor } from "../platforms/registry";
import { applyOrderEvent } from "./apply";
import { getOrderSettings, setReconcileCursor } from "./settings";

/** How far back the first reconciliation of a shop looks. */
export const FIRST_LOOKBACK_MS = 24 * 60 * 60 * 1000;
/** The cursor trails the newest change seen, so orders sharing its timestamp are asked again (applying twice is harmless). */
export const CURSOR_OVERLAP_MS = 60 * 1000;

/**
 * The backstop for lost webhooks: asks the shop platform for orders changed since the stored
 * cursor and feeds them through the same merge as webhooks (idempotent, order-independent).
 */
export async function reconcileShop(env: Env, shop: string, doFetch: typeof fetch, now = Date.now()): Promise<number> {
  const api = await platformApi(env, shop);
  if (!api) return 0;
  const settings = await getOrderSettings(env.DB, shop);
  const since = settings.reconcileCursor ?? new Date(now - FIRST_LOOKBACK_MS).toISOString();
  const events: OrderEventInput[] = await platformApiFor(api, doFetch).reconcileSince(shop, since);
  let newest = Date.parse(since);
  for (const e of events) {
    await applyOrderEvent(env, shop, e, now);
    if (e.order) newest = Math.max(newest, Date.parse(e.order.updatedAt));
  }
  const cursor = new Date(Math.max(Date.parse(since), newest - CURSOR_OVERLAP_MS)).toISOString();
  await setReconcileCursor(env.DB, shop, cursor, now);
  return events.length;
}

/** Reconciles every shop with an enabled platform connector; one shop's failure never stops the others. */
export async function reconcileAll(env: Env, doFetch: typeof fetch, now = Date.now()): Promise<number> {
  let total = 0;
  for (const shop of await shopsWithConnector(env.DB, "platform")) {
    try {
      total += await reconcileShop(env, shop, doFetch, now);
    } catch (e) {
      console.error("reconcile", shop, e);
    }
  }
  return total;
}
