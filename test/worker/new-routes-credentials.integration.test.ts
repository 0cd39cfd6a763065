import { describe, expect, it } from "vitest";
import { ADMIN, call, createShop } from "./helpers";

/**
 * Every route this wave added refuses a missing key, a wrong key, another shop's key and a revoked
 * key with a 401 in the one error shape, and a staff key on an operator route; bad input gets a 4xx.
 */

const json = { "content-type": "application/json" };
const bearer = (key: string) => ({ authorization: `Bearer ${key}`, ...json });
let shops = 0;

type Route = [method: string, name: string, path: (shop: string) => string, body?: string];
const STAFF_ROUTES: Route[] = [
  ["GET", "product search", (s) => `/v1/staff/${s}/search?q=TEE`],
  ["POST", "live ticket", (s) => `/v1/staff/${s}/live/ticket`],
  ["GET", "audit summary", (s) => `/v1/staff/${s}/audit`],
];
const OPERATOR_ROUTES: Route[] = [
  ["GET", "staff keys", (s) => `/v1/admin/shops/${s}/staff-keys`],
  ["POST", "issue a staff key", (s) => `/v1/admin/shops/${s}/staff-keys`, JSON.stringify({ name: "Eve", scopes: ["read"] })],
  ["DELETE", "revoke a staff key", (s) => `/v1/admin/shops/${s}/staff-keys/sk_000000000000`],
  ["GET", "audit log", (s) => `/v1/admin/shops/${s}/audit`],
  [
    "PUT",
    "ERP connector",
    (s) => `/v1/admin/shops/${s}/connectors/erp`,
    JSON.stringify({ settings: { kind: "odoo", url: "https://odoo.example", db: "x", protocol: "json2", apiKey: "k" } }),
  ],
];

/** A fresh shop with its shop-wide key, another shop's key, and a key of this shop issued then revoked. */
async function keys(): Promise<{ shop: string; home: string; other: string; revoked: string }> {
  shops += 1;
  const shop = `creds-home-${shops}`;
  const home = (await createShop(shop)).staffKey;
  const other = (await createShop(`creds-other-${shops}`)).staffKey;
  const issued = await call(`/v1/admin/shops/${shop}/staff-keys`, {
    method: "POST",
    headers: { ...ADMIN, ...json },
    body: JSON.stringify({ name: "Gone", scopes: ["read", "operate", "configure"] }),
  });
  const { id, key } = await issued.json<{ id: string; key: string }>();
  expect((await call(`/v1/admin/shops/${shop}/staff-keys/${id}`, { method: "DELETE", headers: ADMIN })).status).toBeLessThan(300);
  return { shop, home, other, revoked: key };
}

async function expectUnauthorized(res: Response): Promise<void> {
  expect(res.status).toBe(401);
  expect(await res.json()).toMatchObject({ error: { code: expect.stringMatching(/^[a-z_]+$/), message: expect.any(String) } });
}

describe("credentials on the routes added for issues 10 and 16", () => {
  it.each(STAFF_ROUTES)("%s %s: no key, wrong key, another shop's key and a revoked key get 401; the shop's own key passes", async (method, _name, route) => {
    const k = await keys();
    const path = route(k.shop);
    await expectUnauthorized(await call(path, { method }));
    await expectUnauthorized(await call(path, { method, headers: bearer("brk_staff_not_a_real_key") }));
    await expectUnauthorized(await call(path, { method, headers: bearer(k.other) }));
    await expectUnauthorized(await call(path, { method, headers: bearer(k.revoked) }));
    expect((await call(path, { method, headers: bearer(k.home) })).status).toBeLessThan(300);
  });

  it.each(OPERATOR_ROUTES)("%s %s: no token, a wrong token and a staff key get 401", async (method, _name, route, body) => {
    const { shop, home } = await keys();
    const path = route(shop);
    await expectUnauthorized(await call(path, { method, body, headers: json }));
    await expectUnauthorized(await call(path, { method, body, headers: bearer("not-the-admin-token") }));
    await expectUnauthorized(await call(path, { method, body, headers: bearer(home) }));
  });

  it("bad input on them is a 4xx that changes nothing", async () => {
    const { shop, home } = await keys();
    const before = await (await call(`/v1/admin/shops/${shop}/staff-keys`, { headers: ADMIN })).text();
    const badKey = await call(`/v1/admin/shops/${shop}/staff-keys`, {
      method: "POST",
      headers: { ...ADMIN, ...json },
      body: JSON.stringify({ name: "", scopes: ["root"] }),
    });
    expect(badKey.status).toBe(400);
    expect(await badKey.json()).toMatchObject({ error: { code: "validation_failed" } });
    expect(await (await call(`/v1/admin/shops/${shop}/staff-keys`, { headers: ADMIN })).text()).toBe(before);
    const badSearch = await call(`/v1/staff/${shop}/search?q=${"x".repeat(500)}`, { headers: bearer(home) });
    expect(badSearch.status).toBe(400);
    const badErp = await call(`/v1/admin/shops/${shop}/connectors/erp`, { method: "PUT", headers: { ...ADMIN, ...json }, body: "{not json" });
    expect(badErp.status).toBeGreaterThanOrEqual(400);
    expect(badErp.status).toBeLessThan(500);
  });
});
