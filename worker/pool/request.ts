import { createMiddleware } from "hono/factory";
import { ShopId } from "../contract";
import { onShop, withPool } from "./plane";
import type { AppEnv } from "../http/app-env";

/** Where a path names its shop (a pool's id is its root shop's). */
const SHOP_IN_PATH = /^\/v1\/(?:admin\/(?:shops|pools)|hooks\/[^/]+|shops|staff|staff-live|erp)\/([^/?]+)/;

/** The shop a request path names, if any. */
export function shopOfPath(path: string): string | undefined {
  const raw = SHOP_IN_PATH.exec(path)?.[1];
  if (raw === undefined) return undefined;
  let id: string;
  try {
    id = decodeURIComponent(raw);
  } catch {
    return undefined;
  }
  const parsed = ShopId.safeParse(id);
  return parsed.success ? parsed.data : undefined;
}

/**
 * Puts the request on its shop's pool: from here `c.env.DB` reads and writes that pool's object
 * (registry tables still go to D1). The pool is looked up at the first statement that needs it, so
 * an answer from memory costs no database call. A path without a shop, or naming none that exists,
 * gets a data plane whose pool data answers 404.
 */
export const dataPlane = createMiddleware<AppEnv>(async (c, next) => {
  const shop = shopOfPath(c.req.path);
  c.env = shop === undefined ? withPool(c.env, undefined) : onShop(c.env, shop);
  await next();
});
