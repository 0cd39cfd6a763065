import { createMiddleware } from "hono/factory";
import { utf8 } from "../domain/encoding";
import { sha256, timingSafeEqual } from "../domain/hmac";
import { keyMatches } from "../domain/secrets";
import type { AppEnv } from "./app-env";
import { ApiError } from "./error";

const bearer = (header: string | undefined): string | undefined => /^Bearer (\S+)$/.exec(header ?? "")?.[1];

/** The operator's routes: `Authorization: Bearer $BACKROOM_ADMIN_TOKEN`, compared in constant time. */
export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearer(c.req.header("authorization"));
  // Hash both sides so the comparison's time does not even depend on the token's length.
  if (!token || !c.env.BACKROOM_ADMIN_TOKEN || !timingSafeEqual(await sha256(utf8(token)), await sha256(utf8(c.env.BACKROOM_ADMIN_TOKEN)))) {
    throw new ApiError(401, "unauthorized", "A valid operator token is required");
  }
  await next();
});

/** Staff routes: the shop's staff key. Runs after `loadShop`, so a key of shop A never opens shop B. */
export const requireStaff = createMiddleware<AppEnv>(async (c, next) => {
  const key = bearer(c.req.header("authorization"));
  if (!key || !(await keyMatches(key, c.var.shop.staffKeyHash))) throw new ApiError(401, "unauthorized", "A valid staff key for this shop is required");
  await next();
});
