import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../worker/app";
import type { ShopSecrets } from "../../worker/contract";
import { ADMIN, call, createShop, customerToken, poolDb, push, tableNames } from "./helpers";
import { inPoolObject, poolSchemaNames, snapshotPool } from "./pool-object";

/** The edge as an operator sees it: schema, error shape, the API description, shops and their secrets. */

const createBody = (id: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ id, name: `Shop ${id}`, platform: "shopify", origins: ["https://shop.example"], currency: "EUR", locale: "de-DE", ...extra });

const postShop = (body: string, headers: Record<string, string> = ADMIN) =>
  call("/v1/admin/shops", { method: "POST", headers: { ...headers, "content-type": "application/json" }, body });

describe("migrations", () => {
  it("apply from zero: every migration is recorded and the replica's tables and triggers exist", async () => {
    const applied = await env.DB.prepare("SELECT name FROM d1_migrations ORDER BY id").all<{ name: string }>();
    expect(applied.results.map((r) => r.name)).toEqual(env.TEST_MIGRATIONS.map((m) => m.name));
    expect(await tableNames()).toEqual(
      expect.arrayContaining([
        "customers",
        "order_timeline",
        "orders",
        "platform_ids",
        "price_lists",
        "prices",
        "products",
        "rate_limits",
        "shops",
        "sku_aliases",
        "stock",
        "stock_history",
        "sync_log",
        "warehouses",
        "webhook_receipts",
      ]),
    );
    const triggers = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name").all<{ name: string }>();
    expect(triggers.results.map((t) => t.name)).toEqual(expect.arrayContaining(["stock_history_insert", "stock_history_update"]));
  });

  it("a pool object applies the same migrations on its first call: every one recorded, D1's tables, triggers and indexes all there", async () => {
    await createShop("op-schema");
    const applied = await inPoolObject<{ name: string }>("op-schema", "SELECT name FROM pool_migrations ORDER BY name");
    expect(applied.map((r) => r.name)).toEqual(env.TEST_MIGRATIONS.map((m) => m.name));
    // The same schema as D1's (its own migration log aside): pool data keeps D1's shape, and the registry's rows fit its copy.
    const registry = async (type: string) =>
      (
        await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = ? AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' ORDER BY name")
          .bind(type)
          .all<{ name: string }>()
      ).results.map((r) => r.name);
    expect((await poolSchemaNames("op-schema", "table")).filter((t) => t !== "pool_migrations")).toEqual(await tableNames());
    expect(await poolSchemaNames("op-schema", "trigger")).toEqual(await registry("trigger"));
    expect(await poolSchemaNames("op-schema", "trigger")).toEqual(expect.arrayContaining(["stock_history_insert", "stock_history_update"]));
    expect(await poolSchemaNames("op-schema", "index")).toEqual(await registry("index"));
  });
});

describe("errors", () => {
  it("answers unknown routes with 404 in the one error shape", async () => {
    await createShop("op-404");
    for (const [method, path] of [
      ["GET", "/"],
      ["GET", "/nope"],
      ["GET", "/v1"],
      ["GET", "/v2/shops/x/availability"],
      ["DELETE", "/v1/admin/shops"],
      ["GET", "/v1/shops/op-404/nothing-here"],
      ["GET", "/v1/erp/op-404/stock"],
    ] as const) {
      const res = await call(path, { method, headers: ADMIN });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expect(await res.json()).toEqual({ error: { code: "not_found", message: expect.any(String) } });
    }
  });
});

describe("/openapi.json", () => {
  it("is an OpenAPI 3.1 document whose references all resolve", async () => {
    const res = await call("/openapi.json");
    expect(res.status).toBe(200);
    const doc = await res.json<{ openapi: string; info: { title: string; version: string }; paths: Record<string, Record<string, { responses?: object }>> }>();
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    for (const [path, ops] of Object.entries(doc.paths)) {
      expect(path).toMatch(/^\//);
      for (const [method, op] of Object.entries(ops)) {
        if (!["get", "post", "put", "patch", "delete", "head", "options"].includes(method)) continue;
        expect(Object.keys(op.responses ?? {}).length, `${method} ${path} has responses`).toBeGreaterThan(0);
      }
    }
    const text = JSON.stringify(doc);
    for (const [, ref] of text.matchAll(/"\$ref":"#\/([^"]+)"/g)) {
      const target = (ref ?? "").split("/").reduce<unknown>((node, key) => (node && typeof node === "object" ? Reflect.get(node, key) : undefined), doc);
      expect(target, `$ref #/${ref}`).toBeDefined();
    }
  });

  it("lists every route the app serves", async () => {
    const doc = await (await call("/openapi.json")).json<{ paths: Record<string, Record<string, unknown>> }>();
    const documented = new Set(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)));
    const served = new Set(
      app.routes
        .filter((r) => r.method !== "ALL" && !r.path.endsWith("*")) /* middleware, not routes */
        .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, "{$1}")}`),
    );
    const undocumented = [...served].filter((r) => !documented.has(r) && r !== "GET /openapi.json");
    expect(undocumented).toEqual([]);
    // And nothing is documented that is not served.
    expect([...documented].filter((r) => !served.has(r))).toEqual([]);
  });
});

describe("operator API", () => {
  it("refuses without the operator token, or with a wrong one", async () => {
    for (const headers of [
      {} as Record<string, string>,
      { authorization: "Bearer wrong" },
      { authorization: "test-admin-token" },
      { authorization: "Basic dGVzdC1hZG1pbi10b2tlbg==" },
    ]) {
      const res = await postShop(createBody("op-denied"), headers);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
    }
    expect(await env.DB.prepare("SELECT id FROM shops WHERE id = 'op-denied'").first()).toBeNull();
  });

  it("creates a shop with 201 and its secrets once; the same id again is 409", async () => {
    const res = await postShop(createBody("op-new", { platformWebhookSecret: "shpss_0123456789abcdef" }));
    expect(res.status).toBe(201);
    const secrets = await res.json<ShopSecrets>();
    expect(secrets).toEqual({
      shop: "op-new",
      erpSecret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
      staffKey: expect.stringMatching(/^brk_staff_[0-9a-f]{48}$/),
      customerSecret: expect.stringMatching(/^brk_cust_[0-9a-f]{48}$/),
      platformWebhookSecret: "shpss_0123456789abcdef",
    });
    const again = await postShop(createBody("op-new"));
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({ error: { code: "shop_exists", message: expect.any(String) } });
    // Two shops never share a secret.
    const other = await createShop("op-new-2");
    expect(other.erpSecret).not.toBe(secrets.erpSecret);
    expect(other.staffKey).not.toBe(secrets.staffKey);
  });

  it("validates the shop: bad id, unknown field, bad origin, bad currency → 400", async () => {
    for (const body of [
      createBody("Bad_Id"),
      createBody("x".repeat(65)),
      createBody("op-bad", { surprise: true }),
      createBody("op-bad", { origins: ["https://shop.example/path"] }),
      createBody("op-bad", { origins: ["not a url"] }),
      createBody("op-bad", { currency: "euro" }),
      createBody("op-bad", { platform: "wix" }),
      "{",
    ]) {
      const res = await postShop(body);
      expect(res.status, body.slice(0, 80)).toBe(400);
      expect((await res.json<{ error: { code: string } }>()).error.code).toMatch(/^[a-z_]+$/);
    }
    expect(await env.DB.prepare("SELECT count(*) AS n FROM shops WHERE id IN ('op-bad', 'Bad_Id')").first("n")).toBe(0);
  });

  it("rotates secrets: the old ones stop working at once, the new ones work", async () => {
    const old = await createShop("op-rot");
    await push("op-rot", old.erpSecret, "warehouses", { warehouses: [{ code: "BER", name: "Berlin" }] });
    await push("op-rot", old.erpSecret, "prices", { lists: [{ id: "L", name: "L", currency: "EUR" }] });
    await push("op-rot", old.erpSecret, "customers", { customers: [{ id: "C", company: "Co", priceList: "L", version: 1 }] });
    const oldToken = await customerToken(old.customerSecret, "C");
    expect((await call("/v1/shops/op-rot/prices?sku=A", { headers: { "x-backroom-customer": oldToken } })).status).toBe(200);
    expect((await call("/v1/staff/op-rot/products/A", { headers: { authorization: `Bearer ${old.staffKey}` } })).status).toBe(404);

    expect((await call("/v1/admin/shops/op-rot/secrets", { method: "POST" })).status).toBe(401);
    const res = await call("/v1/admin/shops/op-rot/secrets", { method: "POST", headers: ADMIN });
    expect(res.status).toBe(200);
    const fresh = await res.json<typeof old>();
    for (const k of ["erpSecret", "staffKey", "customerSecret"] as const) expect(fresh[k]).not.toBe(old[k]);
    expect(fresh.platformWebhookSecret).toBe(old.platformWebhookSecret);

    const warehouses = { warehouses: [{ code: "HAM", name: "Hamburg" }] };
    expect((await push("op-rot", old.erpSecret, "warehouses", warehouses)).status).toBe(401);
    expect((await push("op-rot", fresh.erpSecret, "warehouses", warehouses)).status).toBe(200);
    expect((await call("/v1/staff/op-rot/products/A", { headers: { authorization: `Bearer ${old.staffKey}` } })).status).toBe(401);
    expect((await call("/v1/staff/op-rot/products/A", { headers: { authorization: `Bearer ${fresh.staffKey}` } })).status).toBe(404);
    expect((await call("/v1/shops/op-rot/prices?sku=A", { headers: { "x-backroom-customer": oldToken } })).status).toBe(401);
    const newToken = await customerToken(fresh.customerSecret, "C");
    expect((await call("/v1/shops/op-rot/prices?sku=A", { headers: { "x-backroom-customer": newToken } })).status).toBe(200);
  });

  it("answers 404 when rotating an unknown shop", async () => {
    const res = await call("/v1/admin/shops/op-ghost/secrets", { method: "POST", headers: ADMIN });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "shop_not_found" } });
  });
});

describe("secrets at rest", () => {
  it("the shop's row holds no secret in plain text, base64, hex or as part", async () => {
    const secrets = await createShop("op-rest", { platformWebhookSecret: "woo_ck_super_secret_value" });
    const row = JSON.stringify(await env.DB.prepare("SELECT * FROM shops WHERE id = 'op-rest'").first());
    const needles = [
      secrets.erpSecret,
      secrets.erpSecret.slice("whsec_".length),
      secrets.staffKey,
      secrets.customerSecret,
      secrets.platformWebhookSecret ?? "",
    ];
    for (const s of needles) {
      expect(s.length).toBeGreaterThan(8);
      expect(row).not.toContain(s);
      expect(row).not.toContain(s.slice(-16));
      expect(row).not.toContain(btoa(s));
    }
    // The staff key is kept as its SHA-256, nothing else.
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(secrets.staffKey)));
    const hex = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
    expect(await env.DB.prepare("SELECT key_hash FROM staff_keys WHERE shop_id = 'op-rest' AND id = 'shop'").first("key_hash")).toBe(hex);
    // Nothing else in the registry holds them either, nor the shop's pool object (its copy of the shop's row included).
    for (const table of await tableNames()) {
      const dump = JSON.stringify((await env.DB.prepare(`SELECT * FROM "${table}"`).all()).results);
      for (const s of needles) expect(dump, table).not.toContain(s);
    }
    const pool = await snapshotPool("op-rest");
    expect(pool.shops).toHaveLength(1);
    for (const [table, rows] of Object.entries(pool)) for (const s of needles) expect(rows.join("\n"), `pool ${table}`).not.toContain(s);
  });

  it("binds each sealed secret to its shop and purpose: swapping sealed values between shops breaks them", async () => {
    const a = await createShop("op-seal-a");
    await createShop("op-seal-b");
    // Copy B's sealed ERP secret into A: A's ERP secret must no longer verify, and B's cannot be unsealed as A's.
    // Through the data plane, as the worker writes the registry: the pool's copy of A's row follows.
    await poolDb("op-seal-a")
      .prepare("UPDATE shops SET erp_secret_enc = (SELECT erp_secret_enc FROM shops WHERE id = 'op-seal-b') WHERE id = 'op-seal-a'")
      .run();
    const res = await push("op-seal-a", a.erpSecret, "warehouses", { warehouses: [{ code: "BER", name: "Berlin" }] });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).not.toBe(200);
  });
});
