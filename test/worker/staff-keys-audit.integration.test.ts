import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ADMIN, call, createShop } from "./helpers";

/** Staff keys per person with scopes, issued and revoked by the operator, and the audit log of what they did. */

const json = { "content-type": "application/json" };
const bearer = (key: string) => ({ authorization: `Bearer ${key}`, ...json });
const admin = (path: string, init: RequestInit = {}) => call(`/v1/admin/shops/${path}`, { ...init, headers: { ...ADMIN, ...json } });
const odoo = { kind: "odoo", url: "https://odoo.acme.example", db: "acme", protocol: "json2", apiKey: "odoo-secret-key-1" };
const woo = { kind: "woocommerce", url: "https://shop.acme.example", consumerKey: "ck_acme", consumerSecret: "woo-secret-1" };

async function issue(shop: string, name: string, scopes: string[]): Promise<{ id: string; key: string }> {
  const res = await admin(`${shop}/staff-keys`, { method: "POST", body: JSON.stringify({ name, scopes }) });
  expect(res.status).toBe(201);
  return res.json();
}

describe("staff keys", () => {
  it("each scope opens its own routes: read the views, operate replays and runs, configure connector settings", async () => {
    const shop = "sk-scopes";
    await createShop(shop);
    const reader = await issue(shop, "Anna (support)", ["read"]);
    const operator = await issue(shop, "Ben (warehouse)", ["read", "operate"]);
    const configurer = await issue(shop, "Cleo (IT)", ["configure"]);
    expect(reader.key).toMatch(/^brk_staff_/);
    expect(reader.id).toMatch(/^sk_[0-9a-f]{12}$/);

    expect((await call(`/v1/staff/${shop}/sync`, { headers: bearer(reader.key) })).status).toBe(200);
    const replay = await call(`/v1/staff/${shop}/sync/dlv_nope/replay`, { method: "POST", headers: bearer(reader.key) });
    expect(replay.status).toBe(403);
    expect(await replay.json()).toMatchObject({ error: { code: "forbidden_scope", details: { required: "operate" } } });
    expect((await call(`/v1/staff/${shop}/sync/dlv_nope/replay`, { method: "POST", headers: bearer(operator.key) })).status).toBe(404);

    const put = (key: string) =>
      call(`/v1/staff/${shop}/connectors/platform`, { method: "PUT", headers: bearer(key), body: JSON.stringify({ settings: woo }) });
    expect((await put(operator.key)).status).toBe(403);
    expect((await put(configurer.key)).status).toBe(200);
    expect((await call(`/v1/staff/${shop}/connectors`, { headers: bearer(configurer.key) })).status).toBe(403);
    expect((await call(`/v1/staff/${shop}/connectors/erp/run`, { method: "POST", headers: bearer(reader.key) })).status).toBe(403);
  });

  it("is stored hashed, listed with its last use, revoked at once; the shop-wide key has every scope", async () => {
    const shop = "sk-revoke";
    const { staffKey } = await createShop(shop);
    const anna = await issue(shop, "Anna", ["read"]);
    const stored = await env.DB.prepare("SELECT * FROM staff_keys WHERE shop_id = ? AND id = ?").bind(shop, anna.id).first();
    expect(JSON.stringify(stored)).not.toContain(anna.key);

    expect((await call(`/v1/staff/${shop}/sync`, { headers: bearer(anna.key) })).status).toBe(200);
    const listed = await (await admin(`${shop}/staff-keys`)).json<{ keys: Array<{ id: string; name: string; scopes: string[]; lastUsedAt?: string }> }>();
    expect(listed.keys).toEqual([
      expect.objectContaining({ id: "shop", scopes: ["read", "operate", "configure"] }),
      expect.objectContaining({ id: anna.id, name: "Anna", scopes: ["read"], lastUsedAt: expect.any(String) }),
    ]);
    expect(JSON.stringify(listed)).not.toContain(anna.key);

    const revoked = await admin(`${shop}/staff-keys/${anna.id}`, { method: "DELETE" });
    expect(revoked.status).toBe(200);
    expect(await revoked.json()).toMatchObject({ id: anna.id, revokedAt: expect.any(String) });
    expect((await call(`/v1/staff/${shop}/sync`, { headers: bearer(anna.key) })).status).toBe(401);
    // The shop-wide key minted with the shop works for every scope.
    expect((await call(`/v1/staff/${shop}/sync/dlv_nope/replay`, { method: "POST", headers: bearer(staffKey) })).status).toBe(404);
    // A key of one shop opens no other shop.
    await createShop("sk-other");
    expect((await call("/v1/staff/sk-other/sync", { headers: bearer(staffKey) })).status).toBe(401);
    // Only the operator issues keys.
    expect(
      (await call(`/v1/admin/shops/${shop}/staff-keys`, { method: "POST", headers: bearer(staffKey), body: JSON.stringify({ name: "x", scopes: ["read"] }) }))
        .status,
    ).toBe(401);
    expect((await admin(`${shop}/staff-keys`, { method: "POST", body: JSON.stringify({ name: "x", scopes: ["admin"] }) })).status).toBe(400);
  });
});

describe("audit log", () => {
  it("records who changed what (old → new, secrets masked) and when; staff see a summary", async () => {
    const shop = "sk-audit";
    await createShop(shop);
    const cleo = await issue(shop, "Cleo (IT)", ["configure", "read"]);
    expect((await admin(`${shop}/connectors/erp`, { method: "PUT", body: JSON.stringify({ settings: odoo }) })).status).toBe(200);
    await call(`/v1/staff/${shop}/connectors/platform`, { method: "PUT", headers: bearer(cleo.key), body: JSON.stringify({ settings: woo }) });
    await call(`/v1/staff/${shop}/connectors/platform`, {
      method: "PUT",
      headers: bearer(cleo.key),
      body: JSON.stringify({ settings: { ...woo, url: "https://shop2.acme.example", consumerSecret: "woo-secret-2" } }),
    });
    await admin(`${shop}/orders-settings`, {
      method: "PUT",
      body: JSON.stringify({ erpEndpointUrl: "https://erp.acme.example/orders", reservationTtlMinutes: 60 }),
    });

    const log = await (await admin(`${shop}/audit`)).json<{
      entries: Array<{ actor: string; actorName: string; action: string; target: string; changes: unknown[]; at: string }>;
    }>();
    expect(log.entries.map((e) => e.action)).toEqual([
      "orders_settings.changed",
      "connector.changed",
      "connector.changed",
      "connector.changed",
      "staff_key.issued",
      "shop.created",
    ]);
    const [settings, second, , erp] = log.entries;
    expect(erp).toMatchObject({ actor: "operator", target: "connector/erp" });
    expect(settings).toMatchObject({ actor: "operator", changes: expect.arrayContaining([{ field: "reservationTtlMinutes", from: 1440, to: 60 }]) });
    expect(second).toMatchObject({
      actor: cleo.id,
      actorName: "Cleo (IT)",
      target: "connector/platform",
      changes: expect.arrayContaining([
        { field: "consumerSecret", from: "***", to: "*** (changed)" },
        { field: "url", from: "https://shop.acme.example", to: "https://shop2.acme.example" },
      ]),
    });
    expect(second?.changes).toHaveLength(2);
    expect(Date.parse(second?.at ?? "")).toBeGreaterThan(Date.now() - 60_000);
    expect(JSON.stringify(log)).not.toMatch(/odoo-secret-key|woo-secret/);

    const summary = await (await call(`/v1/staff/${shop}/audit`, { headers: bearer(cleo.key) })).json<{ entries: Array<Record<string, unknown>> }>();
    expect(summary.entries[1]).toEqual({
      at: second?.at,
      actorName: "Cleo (IT)",
      action: "connector.changed",
      target: "connector/platform",
      fields: expect.arrayContaining(["consumerSecret", "url"]),
    });
    expect(JSON.stringify(summary)).not.toContain("shop2.acme.example");
  });
});
