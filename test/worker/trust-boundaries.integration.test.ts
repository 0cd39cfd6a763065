import { createExecutionContext, runInDurableObject, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { app } from "../../worker/app";
import { applyRows } from "../../worker/connectors/apply";
import { connectorFetch, type Patience } from "../../worker/connectors/http";
import { connectorFor } from "../../worker/connectors/registry";
import { getShop } from "../../worker/db/shops";
import { toBase64 } from "../../worker/domain/encoding";
import { hmacSha256 } from "../../worker/domain/hmac";
import { normalise } from "../../worker/orders/inbox";
import { outboundUrlProblem } from "../../worker/outbound/url-policy";
import { createWooFulfilment, trackingNote } from "../../worker/platforms/woocommerce/api";
import { poolObject, withPool } from "../../worker/pool/plane";
import type { PoolStore } from "../../worker/pool/store";
import { openShopifyOrder, shopifyOrderBody, wooOrderBody } from "../fakes/hooks";
import { routeFetch } from "../fakes/route-fetch";
import { ADMIN, call, createShop, customerToken, ORIGIN, push, pushOk, putErpConnector } from "./helpers";

/**
 * The attacks of issue 10, each replayed against the edge: a staff key must not author ERP truth
 * or redirect orders, outbound calls reach only public hosts, and what comes back is bounded.
 */

let restore: (() => void) | undefined;
afterEach(() => {
  restore?.();
  restore = undefined;
});

const json = { "content-type": "application/json" };
const bearer = (key: string) => ({ authorization: `Bearer ${key}`, ...json });
const DAY_MS = 86_400_000;
const FUTURE_2099 = Date.parse("2099-01-01T00:00:00Z");
const odoo = { kind: "odoo", url: "http://odoo.test", db: "probe17", protocol: "jsonrpc", login: "admin", apiKey: "admin" };
const erpnext = { kind: "erpnext", url: "https://erp.example.test", apiKey: "k", apiSecret: "s", company: "Backroom Demo" };

/** The worker as production runs it: no local-mode variable, so loopback and plain http are refused. */
async function callProduction(path: string, init?: RequestInit): Promise<Response> {
  const { BACKROOM_LOCAL: _local, ...production } = env;
  const ctx = createExecutionContext();
  const res = await app.fetch(new Request(`https://edge.test${path}`, init), production, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

const frappeSign = async (secret: string, body: string) => toBase64(await hmacSha256(secret, body));

describe("1. secrets that authorise ERP data are never chosen by a staff key", () => {
  it("a staff key with every scope cannot point the ERP pull at a host it controls (operator_only); the operator can", async () => {
    const shop = "tb-erp-slot";
    const { staffKey } = await createShop(shop);
    const attacker = { ...odoo, url: "https://erp.attacker.example", login: "me", apiKey: "mine" };
    const tried = await call(`/v1/staff/${shop}/connectors/erp`, { method: "PUT", headers: bearer(staffKey), body: JSON.stringify({ settings: attacker }) });
    expect(tried.status).toBe(403);
    expect(await tried.json()).toMatchObject({ error: { code: "operator_only" } });
    const staffView = await (await call(`/v1/staff/${shop}/connectors`, { headers: bearer(staffKey) })).json<{ connectors: unknown[] }>();
    expect(staffView.connectors).toEqual([]);
    // Nor through the operator's route with a staff key.
    const asAdmin = await call(`/v1/admin/shops/${shop}/connectors/erp`, {
      method: "PUT",
      headers: bearer(staffKey),
      body: JSON.stringify({ settings: attacker }),
    });
    expect(asAdmin.status).toBe(401);
    // The operator sets it; staff still see it (secrets masked) and may run it.
    expect((await putErpConnector(shop, erpnext)).status).toBe(200);
    const view = await (await call(`/v1/staff/${shop}/connectors`, { headers: bearer(staffKey) })).json<{
      connectors: Array<{ slot: string; settings: Record<string, unknown> }>;
    }>();
    expect(view.connectors).toEqual([expect.objectContaining({ slot: "erp", settings: expect.objectContaining({ apiKey: "***", apiSecret: "***" }) })]);
  });

  it("a staff key cannot set the ERPNext webhookSecret (and so cannot sign ERPNext webhooks itself)", async () => {
    const shop = "tb-webhook-secret";
    const { staffKey } = await createShop(shop);
    const chosen = "attacker-chosen-secret";
    const put = await call(`/v1/staff/${shop}/connectors/erp`, {
      method: "PUT",
      headers: bearer(staffKey),
      body: JSON.stringify({ settings: { ...erpnext, webhookSecret: chosen } }),
    });
    expect(put.status).toBe(403);
    expect(await put.json()).toMatchObject({ error: { code: "operator_only" } });
    // The connector save carries no webhook secret even from the operator: that has its own route, where the edge can mint it.
    const viaSave = await putErpConnector(shop, { ...erpnext, webhookSecret: chosen });
    expect(viaSave.status).toBe(400);
    expect(await viaSave.json()).toMatchObject({ error: { code: "validation_failed" } });
    const body = JSON.stringify({
      doctype: "Item Price",
      name: "IP-1",
      item_code: "TEE",
      price_list: "Wholesale",
      price_list_rate: 0.01,
      modified: "2026-01-01",
    });
    const forged = await call(`/v1/hooks/erpnext/${shop}`, {
      method: "POST",
      headers: { "x-frappe-webhook-signature": await frappeSign(chosen, body), ...json },
      body,
    });
    expect(forged.status).not.toBe(200);
  });

  it("the operator has the edge generate the ERPNext webhook secret, shown once, and a later connector save keeps it", async () => {
    const shop = "tb-webhook-operator";
    const { staffKey } = await createShop(shop);
    expect((await putErpConnector(shop, erpnext)).status).toBe(200);
    const staffTries = await call(`/v1/admin/shops/${shop}/connectors/erp/webhook-secret`, { method: "POST", headers: bearer(staffKey) });
    expect(staffTries.status).toBe(401);
    const minted = await call(`/v1/admin/shops/${shop}/connectors/erp/webhook-secret`, { method: "POST", headers: { ...ADMIN, ...json }, body: "{}" });
    expect(minted.status).toBe(200);
    const { webhookSecret } = await minted.json<{ webhookSecret: string }>();
    expect(webhookSecret).toMatch(/^.{32,}$/);
    // A later save of other settings does not drop (or reveal to staff) the operator's secret.
    expect((await putErpConnector(shop, { ...erpnext, company: "Other" })).status).toBe(200);
    const view = await (await call(`/v1/staff/${shop}/connectors`, { headers: bearer(staffKey) })).text();
    expect(view).not.toContain(webhookSecret);
    const body = JSON.stringify({ doctype: "Item", name: "TEE", item_code: "TEE", item_name: "Tee", modified: "2026-01-01 10:00:00.000000" });
    const signed = await call(`/v1/hooks/erpnext/${shop}`, {
      method: "POST",
      headers: { "x-frappe-webhook-signature": await frappeSign(webhookSecret, body), ...json },
      body,
    });
    expect(signed.status).toBe(200);
  });

  it("a row whose version lies more than a day ahead is rejected per row as version_in_future (signed push)", async () => {
    const shop = "tb-future-push";
    const { erpSecret } = await createShop(shop);
    await pushOk(shop, erpSecret, "warehouses", { warehouses: [{ code: "BER", name: "Berlin" }] });
    const res = await push(shop, erpSecret, "stock", {
      items: [
        { sku: "TEE", warehouse: "BER", onHand: 5, version: FUTURE_2099 },
        { sku: "MUG", warehouse: "BER", onHand: 5, version: Date.now() + DAY_MS / 2 },
      ],
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ applied: 1, rejected: [{ index: 0, code: "version_in_future" }] });
    await pushOk(shop, erpSecret, "prices", { lists: [{ id: "L", name: "List", currency: "EUR" }] });
    const customers = await push(shop, erpSecret, "customers", {
      customers: [{ id: "c1", company: "Evil", priceList: "L", creditLimit: "9999999", paymentTerms: "Net 365", version: FUTURE_2099 }],
    });
    expect(customers.status).toBe(422);
    expect(await customers.json()).toMatchObject({ error: { code: "all_rows_rejected", details: { rejected: [{ code: "version_in_future" }] } } });
  });

  it("a connector row whose version lies more than a day ahead is rejected per row as version_in_future (pull and ERPNext webhook)", async () => {
    const shop = "tb-future-pull";
    const { erpSecret } = await createShop(shop);
    await pushOk(shop, erpSecret, "prices", { lists: [{ id: "L", name: "List", currency: "EUR" }] });
    const stored = await getShop(env.DB, shop);
    if (!stored) throw new Error("no shop");
    const result = await applyRows(
      withPool(env, shop),
      stored,
      "test-pull",
      "r1",
      "customers",
      [
        { ref: "Customer/Evil", row: { id: "evil", company: "Evil", priceList: "L", creditLimit: "9999999", version: FUTURE_2099 } },
        { ref: "Customer/Good", row: { id: "good", company: "Good", priceList: "L", version: Date.now() } },
      ],
      Date.now(),
    );
    expect(result.applied).toBe(1);
    expect(result.errors).toEqual([expect.objectContaining({ record: "Customer/Evil", code: "version_in_future" })]);
  });
});

describe("2. where orders go is the operator's decision", () => {
  it("a configured ERP connector does not override the operator's erpEndpointUrl; only the operator's ordersTo picks the connector", async () => {
    const shop = "tb-destination";
    await createShop(shop);
    const settings = (body: unknown) =>
      call(`/v1/admin/shops/${shop}/orders-settings`, { method: "PUT", headers: { ...ADMIN, ...json }, body: JSON.stringify(body) });
    expect((await settings({ erpEndpointUrl: "https://erp.operator.example/orders" })).status).toBe(200);
    expect((await putErpConnector(shop, odoo)).status).toBe(200);
    const stored = await getShop(env.DB, shop);
    if (!stored) throw new Error("no shop");
    const onPool = withPool(env, shop);
    expect((await connectorFor({ env: onPool, shop: stored, fetch }))?.kind).toBe("generic");
    const chosen = await settings({ ordersTo: "erp-connector" });
    expect(chosen.status).toBe(200);
    expect(await chosen.json()).toMatchObject({ ordersTo: "erp-connector" });
    expect((await connectorFor({ env: onPool, shop: stored, fetch }))?.kind).toBe("odoo");
  });
});

describe("3. outbound calls reach public https hosts only", () => {
  it.each([
    "https://127.0.0.1/",
    "https://2130706433/",
    "https://0x7f.1/",
    "https://0177.0.0.1/",
    "https://localhost:8069/",
    "https://erp.localhost/",
    "https://[::1]/",
    "https://[::ffff:127.0.0.1]/",
    "https://169.254.169.254/latest/meta-data",
    "https://10.0.0.8/",
    "https://192.168.1.1/",
    "https://172.20.0.1/",
    "https://100.64.0.1/",
    "https://[fd00::1]/",
    "https://[fe80::1]/",
    "https://0.0.0.0/",
    "https://intranet/",
    "http://erp.public.example/",
  ])("refuses the connector URL %s in production", async (url) => {
    const shop = `tb-ssrf-${Math.abs([...url].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) | 0, 7))}`;
    await createShop(shop);
    const res = await putErpConnector(shop, { ...odoo, url }, callProduction);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: "url_not_allowed" } });
    const endpoint = await callProduction(`/v1/admin/shops/${shop}/orders-settings`, {
      method: "PUT",
      headers: { ...ADMIN, ...json },
      body: JSON.stringify({ erpEndpointUrl: `${url.replace(/\/$/, "")}/orders` }),
    });
    expect(endpoint.status).toBe(400);
  });

  it.each([
    ["https://127.1/", "host_not_public"],
    ["https://[::ffff:7f00:1]/", "host_not_public"],
    ["https://[64:ff9b::a9fe:a9fe]/", "host_not_public"],
    ["https://[::]/", "host_not_public"],
    ["https://metadata.google.internal/", "host_not_public"],
    ["https://printer.local./", "host_not_public"],
    ["https://user:pw@erp.example.com/", "credentials_in_url"],
    ["ftp://erp.example.com/", "scheme_not_allowed"],
    ["https://erp.example.com/", undefined],
    ["https://8.8.8.8/", undefined],
    ["https://[2606:4700:4700::1111]/", undefined],
    ["https://[::ffff:8.8.8.8]/", undefined],
  ])("judges %s as %s in production", (url, problem) => {
    expect(outboundUrlProblem(url, { local: false })).toBe(problem);
  });

  it("takes a public https URL in production and loopback in local mode", async () => {
    const shop = "tb-ssrf-ok";
    await createShop(shop);
    const put = (url: string, viaProduction: boolean) => putErpConnector(shop, { ...odoo, url }, viaProduction ? callProduction : call);
    expect((await put("https://odoo.acme.example", true)).status).toBe(200);
    expect((await put("http://127.0.0.1:8069", false)).status).toBe(200);
  });

  it("never shows staff the body of a remote's error answer, only its status and a short reason", async () => {
    const shop = "tb-ssrf-echo";
    const { staffKey } = await createShop(shop);
    restore = routeFetch({ "odoo.test": { fetch: () => new Response("root:x:0:0 INTERNAL-ADMIN-PAGE", { status: 404 }) } }).mockRestore;
    await putErpConnector(shop, odoo);
    await call(`/v1/staff/${shop}/connectors/erp/run`, { method: "POST", headers: bearer(staffKey) });
    const view = await (await call(`/v1/staff/${shop}/connectors`, { headers: bearer(staffKey) })).text();
    expect(view).toContain("404");
    expect(view).not.toContain("INTERNAL-ADMIN-PAGE");
  });

  it("never shows staff a snippet of a 2xx answer that is not what the ERP sends (JSON.parse would quote it)", async () => {
    const shop = "tb-ssrf-echo-200";
    const { staffKey } = await createShop(shop);
    restore = routeFetch({ "erp.example.test": { fetch: () => new Response("root:x:0:0 INTERNAL-ADMIN-PAGE", { status: 200 }) } }).mockRestore;
    await putErpConnector(shop, erpnext);
    await call(`/v1/staff/${shop}/connectors/erp/run`, { method: "POST", headers: bearer(staffKey) });
    const view = await (await call(`/v1/staff/${shop}/connectors`, { headers: bearer(staffKey) })).text();
    expect(view).toContain("not JSON");
    expect(view).not.toContain("root:x");
  });

  it("follows redirects itself and re-checks each hop: a public hop is followed, a hop to loopback is refused", async () => {
    const seen: string[] = [];
    restore = routeFetch({
      "erp.public.example": {
        fetch: (r) => {
          seen.push(r.url);
          const path = new URL(r.url).pathname;
          if (path === "/to-loopback") return new Response(null, { status: 302, headers: { location: "http://127.0.0.1:9/admin" } });
          if (path === "/moved") return new Response(null, { status: 301, headers: { location: "https://erp.public.example/here" } });
          return new Response("ok");
        },
      },
      "127.0.0.1:9": {
        fetch: (r) => {
          seen.push(r.url);
          return new Response("LOOPBACK-SECRET");
        },
      },
    }).mockRestore;
    const patience: Patience = { attempts: 1, maxWaitMs: 0, sleep: async () => {} };
    expect(await (await connectorFetch("https://erp.public.example/moved", {}, patience)).text()).toBe("ok");
    await expect(connectorFetch("https://erp.public.example/to-loopback", {}, patience)).rejects.toMatchObject({ code: "redirect_not_allowed" });
    expect(seen).not.toContain("http://127.0.0.1:9/admin");
  });
});

describe("4. platform HTML is escaped", () => {
  it("the WooCommerce customer note escapes carrier, tracking number and URL", () => {
    const note = trackingNote({
      carrier: "<img src=x onerror=alert(1)>",
      trackingNumber: "</a><script>steal()</script>",
      trackingUrl: 'https://track.example/?q="><script>x()</script>',
    });
    expect(note).not.toMatch(/<img|<script|<\/a><|"></);
    expect(note).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(note).toContain('href="https://track.example/?q=%22%3E%3Cscript%3Ex()%3C/script%3E"');
  });

  it("a retried fulfilment finds its escaped note and does not add it twice", async () => {
    const shipment = { carrier: "DHL", trackingNumber: "A&B<1>" };
    const posted: string[] = [];
    const woo: typeof fetch = async (input, init) => {
      if ((init?.method ?? "GET") === "GET") return Response.json([{ id: 1, note: trackingNote(shipment) }]);
      posted.push(String(input));
      return Response.json({ id: 2 });
    };
    await createWooFulfilment({ url: "https://woo.example", consumerKey: "ck", consumerSecret: "cs" }, woo, "42", shipment, false);
    expect(posted).toEqual([]);
  });
});

describe("5. order lines are bounded", () => {
  const shopifyLines = (lines: number, quantity: number) =>
    shopifyOrderBody((o) => {
      openShopifyOrder(o);
      const template = (o.line_items as Array<Record<string, unknown>>)[0] ?? {};
      o.line_items = Array.from({ length: lines }, (_, i) => ({
        ...template,
        id: 9000 + i,
        admin_graphql_api_id: `gid://shopify/LineItem/${9000 + i}`,
        sku: `S${i}`,
        quantity,
        current_quantity: quantity,
      }));
    });
  it("refuses a Shopify line quantity of 1e9 and an order of 3,500 lines", () => {
    expect(() => normalise("tb-bounds", "shopify", "orders/create", shopifyLines(1, 1_000_000_000))).toThrow();
    expect(() => normalise("tb-bounds", "shopify", "orders/create", shopifyLines(3_500, 1))).toThrow();
    expect(() => normalise("tb-bounds", "shopify", "orders/create", shopifyLines(3, 2))).not.toThrow();
  });
  it("refuses a WooCommerce line quantity of 1e9 and an order of 3,500 lines", () => {
    const wooLines = (lines: number, quantity: number) =>
      wooOrderBody((o) => {
        const template = (o.line_items as Array<Record<string, unknown>>)[0] ?? {};
        o.line_items = Array.from({ length: lines }, (_, i) => ({ ...template, id: 700 + i, sku: `S${i}`, quantity }));
      });
    expect(() => normalise("tb-bounds", "woocommerce", "order.created", wooLines(1, 1_000_000_000))).toThrow();
    expect(() => normalise("tb-bounds", "woocommerce", "order.created", wooLines(3_500, 1))).toThrow();
    expect(() => normalise("tb-bounds", "woocommerce", "order.created", wooLines(2, 3))).not.toThrow();
  });
});

describe("6. the pool object holding the live sockets never echoes a reserved close code", () => {
  it.each([1005, 1006, 1015])("closes a socket that went away with %i without throwing", async (code) => {
    await runInDurableObject(poolObject(env, `tb-close-${code}`), async (pool: PoolStore) => {
      const [, server] = Object.values(new WebSocketPair());
      if (!server) throw new Error("no socket");
      server.accept();
      expect(() => pool.webSocketClose(server, code, "")).not.toThrow();
    });
  });
});

describe("7. customer tokens have a bounded lifetime", () => {
  it("refuses a token valid for a year; takes one valid for a day; the shop may lower the maximum", async () => {
    const shop = "tb-token";
    const { customerSecret, erpSecret } = await createShop(shop);
    await pushOk(shop, erpSecret, "prices", { lists: [{ id: "L", name: "List", currency: "EUR" }] });
    await pushOk(shop, erpSecret, "customers", { customers: [{ id: "c1", company: "ACME", priceList: "L", version: 1 }] });
    const prices = async (ttl: number) =>
      call(`/v1/shops/${shop}/prices?sku=TEE`, { headers: { origin: ORIGIN, "x-backroom-customer": await customerToken(customerSecret, "c1", ttl) } });
    const year = await prices(365 * 86_400);
    expect(year.status).toBe(401);
    expect(await year.json()).toMatchObject({ error: { code: "customer_token_lifetime_exceeded" } });
    expect((await prices(31_000 * 365 * 86_400)).status).toBe(401);
    expect((await prices(86_400)).status).toBe(200);
    expect((await prices(29 * 86_400)).status).toBe(200);
    const short = await call(`/v1/admin/shops/${shop}`, { method: "PATCH", headers: { ...ADMIN, ...json }, body: JSON.stringify({ customerTokenMaxDays: 1 }) });
    expect(short.status).toBe(200);
    expect((await prices(2 * 86_400)).status).toBe(401);
  });
});

describe("8. order lookups are limited per order number too, and without CF-Connecting-IP", () => {
  const lookup = (shop: string, orderNumber: string, ip?: string) =>
    call(`/v1/shops/${shop}/orders/lookup`, {
      method: "POST",
      headers: { origin: ORIGIN, ...json, ...(ip ? { "cf-connecting-ip": ip } : {}) },
      body: JSON.stringify({ orderNumber, email: "guess@example.com" }),
    });
  it("a client rotating CF-Connecting-IP is stopped guessing emails for one order number", async () => {
    const shop = "tb-lookup-order";
    await createShop(shop);
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await lookup(shop, "#1001", `203.0.113.${i}`)).status);
    expect(statuses.filter((s) => s === 404).length).toBeLessThanOrEqual(20);
    expect(statuses.at(-1)).toBe(429);
  });
  it("without CF-Connecting-IP, lookups share a bucket larger than one client's (local use is not locked out by one browser)", async () => {
    const shop = "tb-lookup-local";
    await createShop(shop);
    const statuses: number[] = [];
    for (let i = 0; i < 15; i++) statuses.push((await lookup(shop, `#${2000 + i}`)).status);
    expect(statuses.every((s) => s === 404)).toBe(true);
  });
});

describe("10. tracking URLs are normalised at ingest", () => {
  it("lower-cases the scheme and host and refuses credentials in the URL", async () => {
    const shop = "tb-tracking";
    const { erpSecret } = await createShop(shop);
    const order = (orderRef: string, trackingUrl: string) => ({
      orderRef,
      orderNumber: orderRef,
      email: "a@example.com",
      status: "shipped",
      shipments: [{ carrier: "DHL", trackingNumber: "123", trackingUrl }],
      at: "2026-11-01T10:00:00Z",
      version: 1,
    });
    const res = await push(shop, erpSecret, "orders", { orders: [order("A1", "HTTPS://Track.Example/T?n=1"), order("A2", "https://user:pw@track.example/t")] });
    expect(await res.json()).toMatchObject({ applied: 1, rejected: [{ index: 1, code: "invalid_row" }] });
    const found = await call(`/v1/shops/${shop}/orders/lookup`, {
      method: "POST",
      headers: { origin: ORIGIN, ...json },
      body: JSON.stringify({ orderNumber: "A1", email: "a@example.com" }),
    });
    expect(await found.json()).toMatchObject({ shipments: [{ trackingUrl: "https://track.example/T?n=1" }] });
  });
});

describe("11. remote answers are read with a size cap", () => {
  it("stops reading a connector answer past the cap with response_too_large", async () => {
    const chunk = new Uint8Array(1024 * 1024).fill(32);
    let sent = 0;
    restore = routeFetch({
      "erp.public.example": {
        fetch: () =>
          new Response(
            new ReadableStream({
              pull(controller) {
                if (sent >= 64) return controller.close();
                sent++;
                controller.enqueue(chunk);
              },
            }),
          ),
      },
    }).mockRestore;
    const patience: Patience = { attempts: 1, maxWaitMs: 0, sleep: async () => {} };
    await expect(connectorFetch("https://erp.public.example/huge", {}, patience).then((r) => r.text())).rejects.toMatchObject({ code: "response_too_large" });
    expect(sent).toBeLessThan(64);
  });
});

describe("Authorization scheme", () => {
  it("accepts `bearer` in lower case for the operator and for staff", async () => {
    const shop = "tb-bearer";
    const { staffKey } = await createShop(shop);
    expect((await call(`/v1/admin/shops/${shop}/orders-settings`, { headers: { authorization: "bearer test-admin-token" } })).status).toBe(200);
    expect((await call(`/v1/staff/${shop}/sync`, { headers: { authorization: `bEaReR ${staffKey}` } })).status).toBe(200);
  });
});
