import { beforeAll, describe, expect, it } from "vitest";
import type { Availability } from "../../worker/contract";
import { call, createShop, customerToken, push, pushOk, snapshotTables } from "./helpers";

/** Shops share one edge and one registry (each its own pool object); nothing of one may reach the other, or another site's page. */

const A = { id: "tenant-a", origin: "https://a-shop.example" };
const B = { id: "tenant-b", origin: "https://b-shop.example" };
let secretsA: Awaited<ReturnType<typeof createShop>>;
let secretsB: Awaited<ReturnType<typeof createShop>>;

async function seed(shop: string, erpSecret: string, onHand: number, price: string) {
  await pushOk(shop, erpSecret, "warehouses", { warehouses: [{ code: "MAIN", name: `${shop} main` }] });
  await pushOk(shop, erpSecret, "products", { products: [{ sku: "SAME-SKU", name: `${shop} product`, cost: "1.00", version: 1 }] });
  await pushOk(shop, erpSecret, "stock", { items: [{ sku: "SAME-SKU", warehouse: "MAIN", onHand, version: 1 }] });
  await pushOk(shop, erpSecret, "prices", {
    lists: [{ id: "LIST", name: "List", currency: "EUR" }],
    prices: [{ list: "LIST", sku: "SAME-SKU", minQty: 1, unitPrice: price, version: 1 }],
  });
  await pushOk(shop, erpSecret, "customers", { customers: [{ id: "SAME-CUSTOMER", company: `${shop} buyer`, priceList: "LIST", version: 1 }] });
  await pushOk(shop, erpSecret, "orders", {
    orders: [{ orderRef: "1", orderNumber: "#1", email: "same@example.com", status: "received", at: "2026-01-01", version: 1 }],
  });
}

beforeAll(async () => {
  secretsA = await createShop(A.id, { origins: [A.origin, "http://localhost:3000"] });
  secretsB = await createShop(B.id, { origins: [B.origin] });
  await seed(A.id, secretsA.erpSecret, 11, "10.00");
  await seed(B.id, secretsB.erpSecret, 22, "20.00");
});

describe("CORS", () => {
  it("allows the shop's own origins on reads, and says it varies by Origin", async () => {
    for (const origin of [A.origin, "http://localhost:3000"]) {
      const res = await call(`/v1/shops/${A.id}/availability?sku=SAME-SKU`, { headers: { origin } });
      expect(res.status).toBe(200);
      expect(res.headers.get("access-control-allow-origin")).toBe(origin);
      expect(res.headers.get("vary")).toMatch(/Origin/);
    }
  });

  it("gives a foreign origin no CORS grant (the browser then withholds the answer)", async () => {
    for (const origin of [B.origin, "https://evil.example", "https://a-shop.example.evil.example", "http://a-shop.example", "null"]) {
      const res = await call(`/v1/shops/${A.id}/availability?sku=SAME-SKU`, { headers: { origin } });
      expect(res.headers.get("access-control-allow-origin"), origin).toBeNull();
      expect(res.headers.get("access-control-allow-credentials")).toBeNull();
    }
  });

  it("answers the shop's origins' preflight with 204 and the allowed methods and headers", async () => {
    const res = await call(`/v1/shops/${A.id}/prices?sku=SAME-SKU`, {
      method: "OPTIONS",
      headers: { origin: A.origin, "access-control-request-method": "GET", "access-control-request-headers": "x-backroom-customer" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe(A.origin);
    expect(res.headers.get("access-control-allow-methods")).toMatch(/GET/);
    expect(res.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("x-backroom-customer");
    expect(await res.text()).toBe("");
  });

  it("refuses a foreign origin's preflight with 403 in the error shape", async () => {
    for (const origin of [B.origin, "https://evil.example"]) {
      const res = await call(`/v1/shops/${A.id}/orders/lookup`, { method: "OPTIONS", headers: { origin, "access-control-request-method": "POST" } });
      expect(res.status).toBe(403);
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
      expect(await res.json()).toEqual({ error: { code: "origin_not_allowed", message: expect.any(String) } });
    }
  });

  it("does not let a cached answer carry one origin's grant to another", async () => {
    await call(`/v1/shops/${A.id}/availability?sku=SAME-SKU&sku=X`, { headers: { origin: A.origin } });
    const res = await call(`/v1/shops/${A.id}/availability?sku=SAME-SKU&sku=X`, { headers: { origin: "https://evil.example" } });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("tenant isolation", () => {
  it("shop A's ERP secret cannot push to shop B", async () => {
    const before = await snapshotTables();
    const res = await push(B.id, secretsA.erpSecret, "stock", { items: [{ sku: "SAME-SKU", warehouse: "MAIN", onHand: 0, version: 99 }] });
    expect(res.status).toBe(401);
    expect(await snapshotTables()).toEqual(before);
  });

  it("shop A's staff key cannot read shop B", async () => {
    const res = await call(`/v1/staff/${B.id}/products/SAME-SKU`, { headers: { authorization: `Bearer ${secretsA.staffKey}` } });
    expect(res.status).toBe(401);
    expect(await res.text()).not.toContain("tenant-b");
    const own = await call(`/v1/staff/${A.id}/products/SAME-SKU`, { headers: { authorization: `Bearer ${secretsA.staffKey}` } });
    expect(await own.json()).toMatchObject({ name: "tenant-a product", warehouses: [{ onHand: 11 }] });
  });

  it("shop A's customer token cannot price shop B, even for a customer id both shops have", async () => {
    const token = await customerToken(secretsA.customerSecret, "SAME-CUSTOMER");
    const atB = await call(`/v1/shops/${B.id}/prices?sku=SAME-SKU`, { headers: { "x-backroom-customer": token } });
    expect(atB.status).toBe(401);
    expect(await atB.text()).not.toContain("20.00");
    const atA = await call(`/v1/shops/${A.id}/prices?sku=SAME-SKU`, { headers: { "x-backroom-customer": token } });
    expect(await atA.json()).toMatchObject({ customer: { company: "tenant-a buyer" }, items: [{ unitPrice: "10.00" }] });
  });

  it("each shop's public reads show only its own stock and orders for the same SKU and order number", async () => {
    const a = await (await call(`/v1/shops/${A.id}/availability?sku=SAME-SKU`)).json<Availability>();
    const b = await (await call(`/v1/shops/${B.id}/availability?sku=SAME-SKU`)).json<Availability>();
    expect(a.items[0]).toMatchObject({ available: 11, warehouses: [{ code: "MAIN", name: "tenant-a main" }] });
    expect(b.items[0]).toMatchObject({ available: 22, warehouses: [{ code: "MAIN", name: "tenant-b main" }] });
    await pushOk(B.id, secretsB.erpSecret, "orders", { orders: [{ orderRef: "1", status: "delivered", at: "2026-01-05", version: 2 }] });
    const lookup = (shop: string) =>
      call(`/v1/shops/${shop}/orders/lookup`, {
        method: "POST",
        headers: { "content-type": "application/json", "cf-connecting-ip": `198.51.100.${shop.length}` },
        body: JSON.stringify({ orderNumber: "#1", email: "same@example.com" }),
      });
    expect(await (await lookup(A.id)).json()).toMatchObject({ status: "received" });
    expect(await (await lookup(B.id)).json()).toMatchObject({ status: "delivered" });
  });
});
