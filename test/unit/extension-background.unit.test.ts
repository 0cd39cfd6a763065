import { describe, expect, it } from "vitest";
import { handleMessage } from "../../extension/lib/background/handle";
import { edgeClient } from "../../extension/lib/edge-client";
import type { StaffOrder, StaffProduct } from "../../worker/contract";
import { handlerDeps, json, SHOP } from "./extension-fixtures";

const ADMIN_TAB = { url: "https://admin.shopify.com/store/acme/products/8001", fromExtensionPage: false };

const PRODUCT: StaffProduct = {
  sku: "TEE-M",
  aliases: [],
  backorder: false,
  safetyStock: 0,
  currency: "EUR",
  available: 13,
  status: "in_stock",
  availabilityMode: "free",
  warehouses: [],
  priceLists: [],
  recentChanges: [],
};
const ORDER: StaffOrder = { orderRef: "5001", orderNumber: "#1001", status: "confirmed", timeline: [], shipments: [], updatedAt: "2026-11-20T10:00:00.000Z" };

type Route = (url: URL, init: RequestInit | undefined) => Response | undefined;

/** An edge answering like the real one for the routes given, and the error body of its notFound otherwise. */
function fakeEdge(routes: Route, seen: Array<{ url: string; auth: string | null }> = []): typeof fetch {
  return async (input, init) => {
    const url = new URL(String(input));
    seen.push({ url: url.pathname + url.search, auth: new Headers(init?.headers).get("authorization") });
    return routes(url, init) ?? json(404, { error: { code: "not_found", message: `No route for GET ${url.pathname}` } });
  };
}

describe("background message handling", () => {
  it("answers a product page with the SKU's staff view, sending the key only to the edge", async () => {
    const seen: Array<{ url: string; auth: string | null }> = [];
    const edge = fakeEdge((u) => (u.pathname === "/v1/staff/acme/products/TEE-M" ? json(200, PRODUCT) : undefined), seen);
    const res = await handleMessage({ type: "product", query: { sku: "TEE-M" } }, ADMIN_TAB, handlerDeps(edge));
    expect(res).toEqual({ ok: true, data: { shop: "acme", product: PRODUCT } });
    expect(seen.filter((r) => r.url.startsWith("/v1/staff/acme/products"))).toEqual([{ url: "/v1/staff/acme/products/TEE-M", auth: "Bearer sk_secret" }]);
    expect(seen.every((r) => r.auth === "Bearer sk_secret")).toBe(true);
    expect(JSON.stringify(res)).not.toContain("sk_secret");
  });

  it("falls back to the platform id when the page's SKU is unknown to the ERP", async () => {
    const edge = fakeEdge((u) => {
      if (u.pathname === "/v1/staff/acme/products/OLD-SKU") return json(404, { error: { code: "sku_not_found", message: "The ERP has not pushed this SKU" } });
      if (u.pathname === "/v1/staff/acme/products/by-platform-id/44001" && u.searchParams.get("kind") === "variant") return json(200, PRODUCT);
      return undefined;
    });
    const res = await handleMessage({ type: "product", query: { sku: "OLD-SKU", platformId: { kind: "variant", id: "44001" } } }, ADMIN_TAB, handlerDeps(edge));
    expect(res).toMatchObject({ ok: true, data: { product: { sku: "TEE-M" } } });
  });

  it("finds an order by ref; an edge without the order pipeline reports no deliveries", async () => {
    const edge = fakeEdge((u) => {
      if (u.pathname === "/v1/staff/acme/orders" && u.searchParams.getAll("ref").includes("5001"))
        return json(200, { items: [{ asked: "5001", by: "ref", orderRef: "5001", status: "confirmed", updatedAt: ORDER.updatedAt }], unknown: [] });
      if (u.pathname === "/v1/staff/acme/orders/5001") return json(200, ORDER);
      return undefined;
    });
    const res = await handleMessage({ type: "order", query: { ref: "5001", number: "1001" } }, ADMIN_TAB, handlerDeps(edge));
    expect(res).toEqual({ ok: true, data: { shop: "acme", order: ORDER } });
  });

  it("finds an order by its number when the ref is unknown, with its deliveries", async () => {
    const delivery = {
      id: "ord_1",
      kind: "erp_order",
      orderRef: "5001",
      event: "order.created",
      status: "failed",
      attempts: 3,
      lastError: "ERP answered 422",
      createdAt: ORDER.updatedAt,
      updatedAt: ORDER.updatedAt,
    } as const;
    const edge = fakeEdge((u) => {
      if (u.pathname === "/v1/staff/acme/orders")
        return json(200, { items: [{ asked: "1001", by: "number", orderRef: "5001", status: "confirmed", updatedAt: ORDER.updatedAt }], unknown: ["17"] });
      if (u.pathname === "/v1/staff/acme/orders/5001") return json(200, { ...ORDER, deliveries: [delivery] });
      return undefined;
    });
    const res = await handleMessage({ type: "order", query: { ref: "17", number: "1001" } }, ADMIN_TAB, handlerDeps(edge));
    expect(res).toEqual({ ok: true, data: { shop: "acme", order: ORDER, deliveries: [delivery] } });
  });

  it.each([
    [
      "a bad key",
      () => json(401, { error: { code: "unauthorized", message: "A valid staff key for this shop is required" } }),
      "unauthorized",
      /rejected the staff key/,
    ],
    ["an unknown shop", () => json(404, { error: { code: "shop_not_found", message: "No such shop" } }), "shop_not_found", /has no shop "acme"/],
    [
      "an unreachable edge",
      () => {
        throw new TypeError("Failed to fetch");
      },
      "unreachable",
      /is not answering: it is stopped, or this computer is offline/,
    ],
    [
      "a URL where something else answers",
      () => new Response("<!doctype html><title>Not Found</title>", { status: 404, headers: { "content-type": "text/html" } }),
      "wrong_url",
      /answered at https:\/\/edge.example \(HTTP 404\), but not as a Backroom edge/,
    ],
  ])("says clearly what is wrong on %s", async (_, answer, code, message) => {
    const failing: typeof fetch = async () => answer();
    const res = await handleMessage(
      { type: "testConnection", shop: SHOP },
      { url: "chrome-extension://id/options.html", fromExtensionPage: true },
      handlerDeps(failing),
    );
    expect(res).toMatchObject({ ok: false, error: { code } });
    if (!res.ok) expect(res.error.message).toMatch(message);
  });

  it("refuses admin pages no shop is configured for, and edges the extension may not contact", async () => {
    const edge = fakeEdge(() => json(200, PRODUCT));
    const other = { url: "https://admin.shopify.com/store/other/products/1", fromExtensionPage: false };
    expect(await handleMessage({ type: "product", query: { sku: "TEE-M" } }, other, handlerDeps(edge))).toMatchObject({
      ok: false,
      error: { code: "not_configured" },
    });
    expect(await handleMessage({ type: "product", query: { sku: "TEE-M" } }, ADMIN_TAB, handlerDeps(edge, [SHOP], false))).toMatchObject({
      ok: false,
      error: { code: "permission_missing" },
    });
  });

  it("validates requests: malformed ones and extension-only ones from content scripts are refused", async () => {
    const edge = fakeEdge(() => json(200, PRODUCT));
    expect(await handleMessage({ type: "product", query: {} }, ADMIN_TAB, handlerDeps(edge))).toMatchObject({ ok: false, error: { code: "bad_request" } });
    expect(await handleMessage({ type: "steal" }, ADMIN_TAB, handlerDeps(edge))).toMatchObject({ ok: false, error: { code: "bad_request" } });
    // A content script may not make the background test arbitrary settings (or learn about other shops).
    expect(await handleMessage({ type: "testConnection", shop: SHOP }, ADMIN_TAB, handlerDeps(edge))).toMatchObject({
      ok: false,
      error: { code: "bad_request" },
    });
    expect(await handleMessage({ type: "search", shop: "s1", sku: "TEE-M" }, ADMIN_TAB, handlerDeps(edge))).toMatchObject({
      ok: false,
      error: { code: "bad_request" },
    });
  });

  it("names the shop's ERP from its connector, for links to the ERP's records; an edge that will not say gives none", async () => {
    const connectors = (kind: string, enabled = true) =>
      json(200, {
        connectors: [{ slot: "erp", kind, enabled, updatedAt: ORDER.updatedAt, settings: { url: "https://erp.example/", apiKey: "***" } }],
        cursors: [],
        runs: [],
      });
    const edge = (answer: Response) =>
      fakeEdge((u) => (u.pathname === "/v1/staff/acme/products/TEE-M" ? json(200, PRODUCT) : u.pathname === "/v1/staff/acme/connectors" ? answer : undefined));
    const ask = (fetchImpl: typeof fetch) => handleMessage({ type: "product", query: { sku: "TEE-M" } }, ADMIN_TAB, handlerDeps(fetchImpl));
    expect(await ask(edge(connectors("erpnext")))).toMatchObject({ ok: true, data: { erp: { kind: "erpnext", url: "https://erp.example" } } });
    expect(await ask(edge(connectors("erpnext", false)))).not.toHaveProperty("data.erp");
    expect(await ask(edge(json(403, { error: { code: "forbidden", message: "This key may not read connectors" } })))).toMatchObject({
      ok: true,
      data: { product: PRODUCT },
    });
  });

  it("keeps the last answer to a panel's question and gives it back, with its time, while the edge is down", async () => {
    let up = true;
    const edge = fakeEdge((u) => {
      if (!up) throw new TypeError("Failed to fetch");
      return u.pathname === "/v1/staff/acme/products/TEE-M" ? json(200, PRODUCT) : undefined;
    });
    const d = handlerDeps(edge);
    const ask = () => handleMessage({ type: "product", query: { sku: "TEE-M" } }, ADMIN_TAB, d);
    expect(await ask()).toMatchObject({ ok: true });
    up = false;
    const down = await ask();
    expect(down).toMatchObject({ ok: false, error: { code: "unreachable" }, lastKnown: { data: { shop: "acme", product: PRODUCT } } });
    if (!down.ok) expect(Date.now() - Date.parse(down.lastKnown?.at ?? "")).toBeLessThan(5_000);
    // A "no" from a working edge is an answer, not an outage: nothing stale is offered then.
    const gone = fakeEdge(() => json(404, { error: { code: "sku_not_found", message: "The ERP has not pushed this SKU" } }));
    expect(await handleMessage({ type: "product", query: { sku: "TEE-M" } }, ADMIN_TAB, { ...d, client: (shop) => edgeClient(shop, gone) })).not.toHaveProperty(
      "lastKnown",
    );
  });

  it("rejects an edge answer that does not match the contract", async () => {
    const edge = fakeEdge(() => json(200, { sku: "TEE-M", available: "lots" }));
    expect(await handleMessage({ type: "product", query: { sku: "TEE-M" } }, ADMIN_TAB, handlerDeps(edge))).toMatchObject({
      ok: false,
      error: { code: "bad_response" },
    });
  });
});
