import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./app-env";
import { ApiError } from "./error";

/**
 * CORS for the public routes, limited to the shop's own storefront origins. Runs after `loadShop`.
 * A foreign origin gets no CORS headers (the browser blocks the read) and its preflight a 403.
 */
export const shopCors = createMiddleware<AppEnv>(async (c, next) => {
  const origin = c.req.header("origin");
  const allowed = origin !== undefined && c.var.shop.origins.includes(origin);
  if (c.req.method === "OPTIONS") {
    if (!allowed) throw new ApiError(403, "origin_not_allowed", "This origin is not one of the shop's storefronts");
    return c.body(null, 204, {
      "access-control-allow-origin": origin,
      "access-control-allow-methods": "GET, POST, OPTIONS",
      "access-control-allow-headers": "content-type, x-backroom-customer",
      "access-control-max-age": "600",
      vary: "Origin",
    });
  }
  await next();
  if (c.res.status === 101) return; // a WebSocket: no CORS, and its response is not ours to edit
  c.header("vary", "Origin", { append: true });
  if (allowed) c.header("access-control-allow-origin", origin);
});
