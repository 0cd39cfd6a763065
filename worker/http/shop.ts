import { createMiddleware } from "hono/factory";
import { ShopId } from "../contract";
import { getShop } from "../db/shops";
import type { AppEnv } from "./app-env";
import { ApiError } from "./error";

/** Loads the `:shop` of the path into `c.var.shop`; an unknown or malformed id is a 404 either way. */
export const loadShop = createMiddleware<AppEnv>(async (c, next) => {
  const id = ShopId.safeParse(c.req.param("shop"));
  const shop = id.success ? await getShop(c.env.DB, id.data) : undefined;
  if (!shop) throw new ApiError(404, "shop_not_found", "No such shop");
  c.set("shop", shop);
  await next();
});
