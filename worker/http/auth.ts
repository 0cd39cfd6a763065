import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { StaffScope } from "../contract";
import { findActiveKey, touchKey } from "../db/staff-keys";
import { utf8 } from "../domain/encoding";
import { sha256, timingSafeEqual } from "../domain/hmac";
import { hashKey } from "../domain/secrets";
import type { AppEnv, StaffPrincipal } from "./app-env";
import { ApiError } from "./error";

/** The credentials of `Authorization: Bearer <token>`; the scheme name is case-insensitive (RFC 9110 §11.1). */
const bearer = (header: string | undefined): string | undefined => /^bearer +(\S+)$/i.exec(header ?? "")?.[1];

/** The operator's routes: `Authorization: Bearer $BACKROOM_ADMIN_TOKEN`, compared in constant time. */
export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearer(c.req.header("authorization"));
  // Hash both sides so the comparison's time does not even depend on the token's length.
  if (!token || !c.env.BACKROOM_ADMIN_TOKEN || !timingSafeEqual(await sha256(utf8(token)), await sha256(utf8(c.env.BACKROOM_ADMIN_TOKEN)))) {
    throw new ApiError(401, "unauthorized", "A valid operator token is required");
  }
  await next();
});

/** The staff key of the request, looked up once per request by its hash among the shop's active keys. */
async function staffPrincipal(c: Context<AppEnv>): Promise<StaffPrincipal> {
  const known = c.get("staff");
  if (known) return known;
  const presented = bearer(c.req.header("authorization"));
  const key = presented ? await findActiveKey(c.env.DB, c.var.shop.id, await hashKey(presented)) : undefined;
  if (!key) throw new ApiError(401, "unauthorized", "A valid staff key for this shop is required");
  c.executionCtx.waitUntil(touchKey(c.env.DB, c.var.shop.id, key.id, Date.now()).run());
  const principal: StaffPrincipal = { id: key.id, name: key.name, scopes: key.scopes };
  c.set("staff", principal);
  return principal;
}

/**
 * Staff routes: a staff key of this shop holding `scope`. Runs after `loadShop`, so a key of shop
 * A never opens shop B. No or a revoked key is 401 `unauthorized`; a key without the scope is 403
 * `forbidden_scope`.
 */
export const requireScope = (scope: StaffScope) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const principal = await staffPrincipal(c);
    if (!principal.scopes.includes(scope)) throw new ApiError(403, "forbidden_scope", `This staff key lacks the "${scope}" scope`, { required: scope });
    await next();
  });

/** The extension's read views: a staff key with the `read` scope. */
export const requireStaff = requireScope("read");
