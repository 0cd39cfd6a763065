import { beforeAll, describe, expect, it } from "vitest";
import { StaffOrder, StaffOrderList, StaffProduct, StaffProductList } from "../../worker/contract";
import { rememberPlatformIds } from "../../worker/db/platform-ids";
import { createDelivery, markFailed } from "../../worker/orders/deliveries";
import { call, createShop, poolDb, pushOk, seedBasics } from "./helpers";

const SHOP = "staff-lookups";
/** The shop's data plane: its pool's database. */
const db = poolDb(SHOP);
let staff: { authorization: string };

beforeAll(async () => {
  const s = await createShop(SHOP);
  staff = { authorization: `Bearer ${s.staffKey}` };
  await seedBasics(SHOP, s.erpSecret);
  await pushOk(SHOP, s.erpSecret, "orders", {
    orders: [
      { orderRef: "5001", orderNumber: "#1001", erpRef: "SO-77", status: "confirmed", at: "2026-11-20T10:00:00Z", version: 1 },
      { orderRef: "5002", orderNumber: "1002", status: "received", at: "2026-11-21T10:00:00Z", version: 1 },
    ],
  });
  // What the platform webhooks remember (Shopify product/variant ids, a Magento entity id).
  await db.batch([
    ...rememberPlatformIds(db, SHOP, "product", [{ platformId: "8001", value: "TEE-M" }], Date.now()),
    ...rememberPlatformIds(db, SHOP, "variant", [{ platformId: "44001", value: "CAP" }], Date.now()),
    ...rememberPlatformIds(db, SHOP, "order", [{ platformId: "17", value: "5002" }], Date.now()),
  ]);
});

const get = (path: string, headers = staff) => call(`/v1/staff/${SHOP}${path}`, { headers });

describe("staff list lookups", () => {
  it("answers a list page's SKUs and platform ids in one request, with the same numbers as the product view", async () => {
    const res = await get("/products?sku=TEE-M&sku=tee-m-old&sku=MUG&sku=NOPE&platformId=8001&platformId=999");
    expect(res.status).toBe(200);
    const body = StaffProductList.parse(await res.json());
    const bySku = new Map(body.items.map((i) => [i.asked, i]));
    // TEE-M: BER 10 on hand − 2 committed, HAM 5 → 15 on hand, 13 available.
    expect(bySku.get("TEE-M")).toEqual({ asked: "TEE-M", by: "sku", sku: "TEE-M", onHand: 15, available: 13, status: "in_stock" });
    expect(bySku.get("tee-m-old")).toMatchObject({ sku: "TEE-M", available: 13 });
    expect(bySku.get("MUG")).toMatchObject({ onHand: 0, available: 0, status: "backorder" });
    expect(bySku.get("8001")).toMatchObject({ by: "platformId", sku: "TEE-M", available: 13 });
    expect(body.unknown.sort()).toEqual(["999", "NOPE"]);
    const full = StaffProduct.parse(await (await get("/products/TEE-M")).json());
    expect(full.available).toBe(bySku.get("TEE-M")?.available);
  });

  it("maps variant ids separately from product ids", async () => {
    const body = StaffProductList.parse(await (await get("/products?platformId=44001&kind=variant")).json());
    expect(body.items).toEqual([{ asked: "44001", by: "platformId", sku: "CAP", onHand: 5, available: 3, status: "low_stock" }]);
    const asProduct = StaffProductList.parse(await (await get("/products?platformId=44001")).json());
    expect(asProduct).toEqual({ items: [], unknown: ["44001"] });
  });

  it("rejects more than 100 lookups and needs the staff key", async () => {
    const many = Array.from({ length: 101 }, (_, i) => `sku=S${i}`).join("&");
    expect((await get(`/products?${many}`)).status).toBe(400);
    expect((await get("/products?sku=TEE-M", { authorization: "Bearer wrong" })).status).toBe(401);
    const unknownShop = await call("/v1/staff/no-such-shop/products?sku=TEE-M", { headers: staff });
    expect(unknownShop.status).toBe(404);
    expect(await unknownShop.json()).toMatchObject({ error: { code: "shop_not_found" } });
  });

  it("answers order statuses by ref, by number with or without #, and by platform id", async () => {
    const body = StaffOrderList.parse(await (await get("/orders?ref=5001&ref=17&ref=nope&number=1001&number=%231002")).json());
    const byAsked = new Map(body.items.map((i) => [i.asked, i]));
    expect(byAsked.get("5001")).toMatchObject({ by: "ref", orderRef: "5001", orderNumber: "#1001", erpRef: "SO-77", status: "confirmed" });
    expect(byAsked.get("17")).toMatchObject({ orderRef: "5002", status: "received" });
    expect(byAsked.get("1001")).toMatchObject({ by: "number", orderRef: "5001" });
    expect(byAsked.get("#1002")).toMatchObject({ orderRef: "5002" });
    expect(body.unknown).toEqual(["nope"]);
  });
});

describe("staff lookups by platform id", () => {
  it("opens the full product view behind a product or variant id", async () => {
    const res = await get("/products/by-platform-id/8001");
    expect(res.status).toBe(200);
    const p = StaffProduct.parse(await res.json());
    expect(p).toMatchObject({ sku: "TEE-M", cost: "4.20", available: 13 });
    expect(p.warehouses.map((w) => [w.code, w.onHand, w.committed, w.available])).toEqual([
      ["BER", 10, 2, 8],
      ["HAM", 5, 0, 5],
    ]);
    expect(StaffProduct.parse(await (await get("/products/by-platform-id/44001?kind=variant")).json()).sku).toBe("CAP");
  });

  it("says clearly when the edge has not seen a platform id", async () => {
    const res = await get("/products/by-platform-id/123456789");
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "platform_id_not_found" } });
  });

  it("opens an order by the platform's own id", async () => {
    const o = StaffOrder.parse(await (await get("/orders/by-platform-id/17")).json());
    expect(o).toMatchObject({ orderRef: "5002", orderNumber: "1002", status: "received" });
    expect((await get("/orders/by-platform-id/18")).status).toBe(404);
  });
});

describe("staff order view: deliveries", () => {
  it("lists the order's deliveries to the ERP with their last error, and none for an order without", async () => {
    const now = Date.now();
    await createDelivery(db, { id: "ord_e2e_1", shop: SHOP, kind: "erp_order", orderRef: "5001", event: "order.created" }, now);
    await markFailed(db, "ord_e2e_1", "failed", "ERP answered 422: unknown customer", now + 1);
    const o = StaffOrder.parse(await (await get("/orders/5001")).json());
    expect(o.deliveries).toEqual([
      {
        id: "ord_e2e_1",
        kind: "erp_order",
        orderRef: "5001",
        event: "order.created",
        status: "failed",
        attempts: 0,
        lastError: "ERP answered 422: unknown customer",
        createdAt: new Date(now).toISOString(),
        updatedAt: new Date(now + 1).toISOString(),
        history: [{ attempt: 0, at: new Date(now + 1).toISOString(), outcome: "failed", error: "ERP answered 422: unknown customer" }],
      },
    ]);
    expect(StaffOrder.parse(await (await get("/orders/5002")).json()).deliveries).toEqual([]);
  });
});
