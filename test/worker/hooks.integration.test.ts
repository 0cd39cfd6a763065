import { beforeAll, describe, expect, it } from "vitest";
import { HookAck } from "../../worker/contract";
import { utf8 } from "../../worker/domain/encoding";
import { verifyShopifyHmac } from "../../worker/platforms/shopify/webhook";
import { decodeHtmlSpecialChars, verifyWooCommerceHmac } from "../../worker/platforms/woocommerce/webhook";
import { openShopifyOrder, SHOPIFY_SAMPLE_ORDER_ID, shopifyHeaders, shopifyOrderBody, wooHeaders, wooOrderBody } from "../fakes/hooks";
import { until } from "../fakes/wait";
import shopifyVectors from "../fixtures/shopify/hmac_test_vectors.json";
import wooVectors from "../fixtures/woocommerce/hmac_test_vectors.json";
import { call, createShop, poolDb } from "./helpers";

const SECRET = "hush-platform-secret";

/** A count in `pool`'s data (a shop on its own is the pool of its id). */
const count = async (pool: string, sql: string, ...args: unknown[]) =>
  Number(
    (
      await poolDb(pool)
        .prepare(sql)
        .bind(...args)
        .first<{ n: number }>()
    )?.n ?? 0,
  );

describe("platform signatures (published test vectors)", () => {
  const bodyVectors = shopifyVectors.filter((v) => "body_utf8" in v);
  it.each(bodyVectors)("Shopify $id → valid: $valid", async (v) => {
    const header = "expected" in v && v.valid ? v.expected : "header_value" in v ? v.header_value : undefined;
    expect(await verifyShopifyHmac(v.secret, utf8(v.body_utf8 ?? ""), header)).toBe(v.valid);
  });

  it("Shopify: a signature for another body, or none, fails", async () => {
    const v = bodyVectors.find((x) => x.valid && "expected" in x);
    expect(await verifyShopifyHmac(v?.secret ?? "", utf8(`${v?.body_utf8} `), "expected" in (v ?? {}) ? v?.expected : "")).toBe(false);
    expect(await verifyShopifyHmac(v?.secret ?? "", utf8(v?.body_utf8 ?? ""), undefined)).toBe(false);
  });

  it.each(wooVectors)("WooCommerce $id (empty secret) verifies", async (v) => {
    expect(await verifyWooCommerceHmac(v.secret, utf8(v.body_utf8), v.expected)).toBe(true);
    expect(await verifyWooCommerceHmac("other", utf8(v.body_utf8), v.expected)).toBe(false);
  });

  it("WooCommerce HTML-decodes the secret before signing", async () => {
    expect(decodeHtmlSpecialChars("a&amp;b&lt;c&gt;&quot;d&#039;")).toBe("a&b<c>\"d'");
    const { toBase64 } = await import("../../worker/domain/encoding");
    const { hmacSha256 } = await import("../../worker/domain/hmac");
    const signedWithDecoded = toBase64(await hmacSha256("s&cret", "body"));
    expect(await verifyWooCommerceHmac("s&amp;cret", utf8("body"), signedWithDecoded)).toBe(true);
  });
});

describe("POST /v1/hooks/:platform/:shop", () => {
  beforeAll(async () => {
    await createShop("hooks", { platform: "shopify", platformWebhookSecret: SECRET });
  });

  it("accepts a signed Shopify orders/create and turns it into an order (id kept exactly, beyond 2^53)", async () => {
    const body = shopifyOrderBody(openShopifyOrder);
    const res = await call("/v1/hooks/shopify/hooks", { method: "POST", headers: await shopifyHeaders(SECRET, body, "orders/create", "d-create-1"), body });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    await until(() => count("hooks", "SELECT count(*) AS n FROM order_inbox WHERE shop_id = 'hooks' AND state = 'done'"), 15_000, "inbox processed");
    const order = await call(`/v1/staff/hooks/orders/${SHOPIFY_SAMPLE_ORDER_ID}`, { headers: { authorization: "Bearer nope" } });
    expect(order.status).toBe(401);
    const row = await poolDb("hooks").prepare("SELECT order_ref, order_number, email, status, version FROM orders WHERE shop_id = 'hooks'").first();
    expect(row).toEqual({ order_ref: SHOPIFY_SAMPLE_ORDER_ID, order_number: "#9999", email: "jon@example.com", status: "received", version: 0 });
    expect(await poolDb("hooks").prepare("SELECT value FROM platform_ids WHERE shop_id = 'hooks' AND kind = 'order'").first()).toEqual({
      value: SHOPIFY_SAMPLE_ORDER_ID,
    });
  });

  it("a bad signature is 401 and writes nothing", async () => {
    const body = shopifyOrderBody(openShopifyOrder, "9007199254740993");
    const headers = await shopifyHeaders("wrong-secret", body, "orders/create", "d-bad-sig");
    const before = await count("hooks", "SELECT count(*) AS n FROM order_inbox");
    const res = await call("/v1/hooks/shopify/hooks", { method: "POST", headers, body });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: "signature_invalid" } });
    const unsigned = await call("/v1/hooks/shopify/hooks", { method: "POST", headers: { ...headers, "x-shopify-hmac-sha256": "" }, body });
    expect(unsigned.status).toBe(401);
    expect(await count("hooks", "SELECT count(*) AS n FROM order_inbox")).toBe(before);
    expect(await count("hooks", "SELECT count(*) AS n FROM shop_orders WHERE order_ref = '9007199254740993'")).toBe(0);
  });

  it("an unknown shop is 404 and writes nothing", async () => {
    const body = shopifyOrderBody(openShopifyOrder);
    const before = await count("nosuchshop", "SELECT count(*) AS n FROM order_inbox");
    const res = await call("/v1/hooks/shopify/nosuchshop", { method: "POST", headers: await shopifyHeaders(SECRET, body, "orders/create", "d-404"), body });
    expect(res.status).toBe(404);
    expect(await count("nosuchshop", "SELECT count(*) AS n FROM order_inbox")).toBe(before);
  });

  it("the same delivery ×5 (two at once) → one order, one ERP delivery", async () => {
    await createShop("dupes", { platform: "shopify", platformWebhookSecret: SECRET });
    const body = shopifyOrderBody(openShopifyOrder, "5000000000000000001");
    const send = async () => call("/v1/hooks/shopify/dupes", { method: "POST", headers: await shopifyHeaders(SECRET, body, "orders/create", "d-dup"), body });
    const [a, b] = await Promise.all([send(), send()]);
    const rest = [await send(), await send(), await send()];
    const answers = await Promise.all([a, b, ...rest].map(async (r) => HookAck.parse(await r.json())));
    expect([a, b, ...rest].map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers.filter((x) => x.duplicate === true)).toHaveLength(4);
    await until(() => count("dupes", "SELECT count(*) AS n FROM order_inbox WHERE shop_id = 'dupes' AND state = 'done'"), 15_000, "processed");
    expect(await count("dupes", "SELECT count(*) AS n FROM shop_orders WHERE shop_id = 'dupes'")).toBe(1);
    expect(await count("dupes", "SELECT count(*) AS n FROM orders WHERE shop_id = 'dupes'")).toBe(1);
    expect(await count("dupes", "SELECT count(*) AS n FROM deliveries WHERE shop_id = 'dupes' AND kind = 'erp_order'")).toBe(1);
  });

  it("a replayed delivery is acknowledged as a duplicate and changes nothing", async () => {
    const body = shopifyOrderBody(openShopifyOrder);
    const res = await call("/v1/hooks/shopify/hooks", { method: "POST", headers: await shopifyHeaders(SECRET, body, "orders/create", "d-create-1"), body });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, duplicate: true });
    expect(await count("hooks", "SELECT count(*) AS n FROM order_inbox WHERE shop_id = 'hooks' AND delivery_id = 'd-create-1'")).toBe(1);
  });

  it("WooCommerce: the unsigned webhook_id=N ping gets 200 and changes nothing; a signed order.created is taken", async () => {
    await createShop("woo", { platform: "woocommerce", platformWebhookSecret: SECRET });
    const before = await count("woo", "SELECT count(*) AS n FROM order_inbox");
    const ping = await call("/v1/hooks/woocommerce/woo", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "webhook_id=15",
    });
    expect(ping.status).toBe(200);
    expect(await ping.json()).toEqual({ ok: true, ignored: "ping" });
    expect(await count("woo", "SELECT count(*) AS n FROM order_inbox")).toBe(before);
    const body = wooOrderBody();
    const res = await call("/v1/hooks/woocommerce/woo", { method: "POST", headers: await wooHeaders(SECRET, body, "order.created", "w-1"), body });
    expect(res.status).toBe(200);
    await until(() => count("woo", "SELECT count(*) AS n FROM orders WHERE shop_id = 'woo' AND order_ref = '727'"), 15_000, "woo order");
    expect(await poolDb("woo").prepare("SELECT order_number, email FROM orders WHERE shop_id = 'woo'").first()).toEqual({
      order_number: "727",
      email: "john.doe@example.com",
    });
    const forged = await call("/v1/hooks/woocommerce/woo", { method: "POST", headers: await wooHeaders("x", body, "order.created", "w-2"), body });
    expect(forged.status).toBe(401);
  });

  it("documents the hook, sync and settings routes in /openapi.json", async () => {
    const doc = await (await call("/openapi.json")).json();
    expect(Object.keys(Object(doc).paths)).toEqual(
      expect.arrayContaining([
        "/v1/hooks/shopify/{shop}",
        "/v1/hooks/woocommerce/{shop}",
        "/v1/staff/{shop}/sync",
        "/v1/staff/{shop}/sync/{deliveryId}/replay",
        "/v1/admin/shops/{shop}/orders-settings",
      ]),
    );
  });
});
