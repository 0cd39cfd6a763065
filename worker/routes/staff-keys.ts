import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { ErrorBody, NewStaffKey, ShopParam, StaffKeyId, StaffKeyIssued, StaffKeyList, type StaffKeyView } from "../contract";
import { auditStatement, OPERATOR } from "../db/audit";
import { getShop } from "../db/shops";
import { getKey, insertKey, listKeys, revokeKey, type StaffKey } from "../db/staff-keys";
import { randomBytes, toHex } from "../domain/encoding";
import { hashKey, newKey } from "../domain/secrets";
import type { AppEnv } from "../http/app-env";
import { requireAdmin } from "../http/auth";
import { ApiError } from "../http/error";
import { jsonResponse } from "../http/openapi";
import { validationHook } from "../http/validation";

/** The operator issues, lists and revokes a shop's staff keys: one per person, each with its scopes. */

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const view = (k: StaffKey): StaffKeyView => ({
  id: k.id,
  name: k.name,
  scopes: k.scopes,
  createdAt: new Date(k.createdAt).toISOString(),
  ...(k.lastUsedAt !== undefined ? { lastUsedAt: iso(k.lastUsedAt) } : {}),
  ...(k.revokedAt !== undefined ? { revokedAt: iso(k.revokedAt) } : {}),
});

const issue = createRoute({
  method: "post",
  path: "/v1/admin/shops/{shop}/staff-keys",
  summary: "Issue a staff key for one person with its scopes (read, operate, configure); the key is answered once",
  security: [{ operator: [] }],
  request: { params: ShopParam, body: { content: { "application/json": { schema: NewStaffKey } }, required: true } },
  responses: { 201: jsonResponse(StaffKeyIssued, "The new key, shown once"), 404: jsonResponse(ErrorBody, "No such shop") },
});

const list = createRoute({
  method: "get",
  path: "/v1/admin/shops/{shop}/staff-keys",
  summary: "The shop's staff keys (never the keys themselves): holder, scopes, last use, revocation",
  security: [{ operator: [] }],
  request: { params: ShopParam },
  responses: { 200: jsonResponse(StaffKeyList, "The keys"), 404: jsonResponse(ErrorBody, "No such shop") },
});

const revoke = createRoute({
  method: "delete",
  path: "/v1/admin/shops/{shop}/staff-keys/{keyId}",
  summary: "Revoke a staff key: it stops working at once and stays listed",
  security: [{ operator: [] }],
  request: { params: ShopParam.extend({ keyId: StaffKeyId }) },
  responses: { 200: jsonResponse(StaffKeyIssued.omit({ key: true }), "The revoked key"), 404: jsonResponse(ErrorBody, "No such shop or key") },
});

async function existing(db: D1Database, shop: string): Promise<void> {
  if (!(await getShop(db, shop))) throw new ApiError(404, "shop_not_found", "No such shop");
}

const base = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
base.use("/v1/admin/shops/:shop/staff-keys", requireAdmin);
base.use("/v1/admin/shops/:shop/staff-keys/*", requireAdmin);

export const staffKeyRoutes = base
  .openapi(issue, async (c) => {
    const { shop } = c.req.valid("param");
    await existing(c.env.DB, shop);
    const body = c.req.valid("json");
    const scopes = [...new Set(body.scopes)];
    const id = `sk_${toHex(randomBytes(6))}`;
    const key = newKey("brk_staff");
    const now = Date.now();
    await c.env.DB.batch([
      insertKey(c.env.DB, shop, { id, name: body.name, scopes, keyHash: await hashKey(key) }, now),
      auditStatement(
        c.env.DB,
        {
          shop,
          actor: OPERATOR,
          action: "staff_key.issued",
          target: `staff_key/${id}`,
          changes: [
            { field: "name", to: body.name },
            { field: "scopes", to: scopes },
          ],
        },
        now,
      ),
    ]);
    return c.json({ ...view({ id, name: body.name, scopes, createdAt: now, lastUsedAt: undefined, revokedAt: undefined }), key }, 201);
  })
  .openapi(list, async (c) => {
    const { shop } = c.req.valid("param");
    await existing(c.env.DB, shop);
    return c.json({ keys: (await listKeys(c.env.DB, shop)).map(view) }, 200);
  })
  .openapi(revoke, async (c) => {
    const { shop, keyId } = c.req.valid("param");
    const key = await getKey(c.env.DB, shop, keyId);
    if (!key) throw new ApiError(404, "staff_key_not_found", "This shop has no staff key with that id");
    const now = Date.now();
    if (key.revokedAt === undefined) {
      await c.env.DB.batch([
        revokeKey(c.env.DB, shop, keyId, now),
        auditStatement(
          c.env.DB,
          { shop, actor: OPERATOR, action: "staff_key.revoked", target: `staff_key/${keyId}`, changes: [{ field: "name", from: key.name }] },
          now,
        ),
      ]);
    }
    return c.json(view({ ...key, revokedAt: key.revokedAt ?? now }), 200);
  });
