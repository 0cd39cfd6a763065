import { beforeAll, describe, expect, it } from "vitest";
import type { StaffOrder, StaffProduct } from "../../worker/contract";
import { call, createShop, poolDb, push, pushOk } from "./helpers";

/** Staff reads for the extension: the shop's own staff key, everything the ERP knows, margin, history. */

const SHOP = "staff";
let staffKey: string;
let erpSecret: string;

/** `key: null` sends no authorization header at all. */
const staff = (path: string, key: string | null = staffKey) =>
  call(`/v1/staff/${SHOP}${path}`, { headers: key === null ? {} : { authorization: `Bearer ${key}` } });

beforeAll(async () => {
  const s = await createShop(SHOP);
  staffKey = s.staffKey;
  erpSecret = s.erpSecret;
  await pushOk(SHOP, erpSecret, "warehouses", {
    warehouses: [
      { code: "BER", name: "Berlin" },
      { code: "HAM", name: "Hamburg" },
    ],
  });
  await pushOk(SHOP, erpSecret, "products", {
    products: [
      { sku: "TEE", name: "T-shirt", gtin: "4006381333931", cost: "4.20", currency: "EUR", aliases: ["tee-old", "TEE-2019"], safetyStock: 1, version: 1 },
    ],
  });
  await pushOk(SHOP, erpSecret, "prices", {
    lists: [
      { id: "DEALER", name: "Dealers", currency: "EUR" },
      { id: "SWISS", name: "Swiss", currency: "CHF" },
    ],
    prices: [
      { list: "DEALER", sku: "TEE", minQty: 10, unitPrice: "11.00", version: 1 },
      { list: "DEALER", sku: "TEE", minQty: 1, unitPrice: "12.50", version: 1 },
      { list: "SWISS", sku: "TEE", minQty: 1, unitPrice: "14.00", version: 1 },
    ],
  });
  await pushOk(SHOP, erpSecret, "stock", {
    items: [
      { sku: "TEE", warehouse: "BER", onHand: 10, committed: 2, incoming: [{ qty: 20, eta: "2099-03-14", ref: "PO-1" }], version: 1 },
      { sku: "TEE", warehouse: "HAM", onHand: 5, version: 1 },
    ],
  });
  await pushOk(SHOP, erpSecret, "stock", { items: [{ sku: "TEE", warehouse: "BER", onHand: 8, committed: 2, version: 2 }] });
  await poolDb(SHOP).prepare("UPDATE stock SET reserved = 1 WHERE shop_id = ? AND sku = 'TEE' AND warehouse = 'HAM'").bind(SHOP).run();
  await pushOk(SHOP, erpSecret, "orders", {
    orders: [
      {
        orderRef: "820982911946154508",
        orderNumber: "#1001",
        email: "jon@example.com",
        erpRef: "SO-42",
        status: "shipped",
        shipments: [{ carrier: "UPS", trackingNumber: "1Z879E930346834440" }],
        at: "2026-11-03T15:00:00Z",
        version: 1,
      },
    ],
  });
});

describe("staff key", () => {
  it("is required, and must be this shop's", async () => {
    const other = await createShop("staff-other");
    for (const key of [null, "", "brk_staff_wrong", other.staffKey]) {
      const res = await staff("/products/TEE", key);
      expect(res.status, String(key)).toBe(401);
      expect(await res.json()).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
    }
    // A bearer token in another scheme or with the key as a query parameter does not count.
    expect((await call(`/v1/staff/${SHOP}/products/TEE`, { headers: { authorization: staffKey } })).status).toBe(401);
    expect((await call(`/v1/staff/${SHOP}/products/TEE?key=${staffKey}`)).status).toBe(401);
  });
});

describe("staff product", () => {
  it("shows per-warehouse stock, incoming, cost, price lists with margin, last sync and recent changes", async () => {
    const res = await staff("/products/TEE");
    expect(res.status).toBe(200);
    const p = await res.json<StaffProduct>();
    expect(p).toMatchObject({
      sku: "TEE",
      name: "T-shirt",
      gtin: "4006381333931",
      aliases: ["TEE-2019", "tee-old"],
      backorder: false,
      safetyStock: 1,
      cost: "4.20",
      currency: "EUR",
      // BER: 8 − 2 − 0 − 1 = 5; HAM: 5 − 0 − 1 − 1 = 3.
      available: 8,
      status: "in_stock",
      warehouses: [
        { code: "BER", name: "Berlin", onHand: 8, committed: 2, reserved: 0, available: 5, incoming: [] },
        { code: "HAM", name: "Hamburg", onHand: 5, committed: 0, reserved: 1, available: 3, incoming: [] },
      ],
    });
    expect(p.priceLists).toEqual([
      {
        id: "DEALER",
        name: "Dealers",
        currency: "EUR",
        breaks: [
          { minQty: 1, unitPrice: "12.50" },
          { minQty: 10, unitPrice: "11.00" },
        ],
        // 12.50 − 4.20 = 8.30, 66.4 % of the price.
        margin: { amount: "8.30", percent: "66.4" },
      },
      // Cost is in EUR: no margin is claimed for a CHF list.
      { id: "SWISS", name: "Swiss", currency: "CHF", breaks: [{ minQty: 1, unitPrice: "14.00" }] },
    ]);
    expect(Date.parse(p.lastSync ?? "")).toBeGreaterThan(Date.now() - 60_000);
    // Newest first: BER v2, then the two first inserts.
    expect(p.recentChanges.map((c) => [c.warehouse, c.onHand, c.version])).toEqual([
      ["BER", 8, 2],
      ["HAM", 5, 1],
      ["BER", 10, 1],
    ]);
  });

  it("replaced the incoming POs with the newer stock version's (none)", async () => {
    await pushOk(SHOP, erpSecret, "stock", {
      items: [{ sku: "TEE", warehouse: "HAM", onHand: 5, incoming: [{ qty: 3, eta: "2099-01-02", ref: "PO-9" }], version: 3 }],
    });
    const p = await (await staff("/products/TEE")).json<StaffProduct>();
    expect(p.warehouses.find((w) => w.code === "HAM")?.incoming).toEqual([{ qty: 3, eta: "2099-01-02", ref: "PO-9" }]);
    expect(p.warehouses.find((w) => w.code === "BER")?.incoming).toEqual([]);
  });

  it("resolves an alias to the ERP's SKU", async () => {
    const p = await (await staff("/products/tee-old")).json<StaffProduct>();
    expect(p.sku).toBe("TEE");
  });

  it("answers 404 sku_not_found for a SKU the ERP never pushed", async () => {
    const res = await staff("/products/NOPE");
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "sku_not_found" } });
  });

  it("computes a negative margin when the price is below cost", async () => {
    await pushOk(SHOP, erpSecret, "products", { products: [{ sku: "LOSS", name: "Loss leader", cost: "10.00", version: 1 }] });
    await pushOk(SHOP, erpSecret, "prices", { prices: [{ list: "DEALER", sku: "LOSS", minQty: 1, unitPrice: "7.50", version: 1 }] });
    const p = await (await staff("/products/LOSS")).json<StaffProduct>();
    expect(p.priceLists[0]?.margin).toEqual({ amount: "-2.50", percent: "-33.3" });
  });
  it("takes margins on the landed cost when the ERP sends one, versioned like the rest of the product", async () => {
    await pushOk(SHOP, erpSecret, "products", {
      products: [{ sku: "LANDED", name: "Imported", cost: "4.00", landedCost: "5.50", currency: "EUR", version: 2 }],
    });
    await pushOk(SHOP, erpSecret, "prices", { prices: [{ list: "DEALER", sku: "LANDED", minQty: 1, unitPrice: "10.00", version: 1 }] });
    const p = await (await staff("/products/LANDED")).json<StaffProduct>();
    expect(p).toMatchObject({ cost: "4.00", landedCost: "5.50", marginOn: "landedCost" });
    expect(p.priceLists[0]?.margin).toEqual({ amount: "4.50", percent: "45.0" });
    // An older version changes nothing; a newer one without it drops it, and margins fall back to the cost.
    await pushOk(SHOP, erpSecret, "products", {
      products: [{ sku: "LANDED", name: "Imported", cost: "4.00", landedCost: "9.99", currency: "EUR", version: 1 }],
    });
    expect((await (await staff("/products/LANDED")).json<StaffProduct>()).landedCost).toBe("5.50");
    await pushOk(SHOP, erpSecret, "products", { products: [{ sku: "LANDED", name: "Imported", cost: "4.00", currency: "EUR", version: 3 }] });
    const after = await (await staff("/products/LANDED")).json<StaffProduct>();
    expect(after.landedCost).toBeUndefined();
    expect(after.marginOn).toBe("cost");
    expect(after.priceLists[0]?.margin).toEqual({ amount: "6.00", percent: "60.0" });
  });

  it("keeps the ERP's own record ids (erpId) of a product, its incoming receipts and an order, for links into the ERP", async () => {
    await pushOk(SHOP, erpSecret, "products", { products: [{ sku: "ODOO-1", name: "From Odoo", erpId: "7", version: 1 }] });
    await pushOk(SHOP, erpSecret, "stock", {
      items: [{ sku: "ODOO-1", warehouse: "BER", onHand: 1, incoming: [{ qty: 5, eta: "2099-01-02", ref: "WH/IN/00019", erpId: "19" }], version: 1 }],
    });
    await pushOk(SHOP, erpSecret, "orders", {
      orders: [{ orderRef: "odoo-1", erpRef: "S00091", erpId: "91", status: "confirmed", at: "2026-11-03T15:00:00Z", version: 1 }],
    });
    const p = await (await staff("/products/ODOO-1")).json<StaffProduct>();
    expect(p.erpId).toBe("7");
    expect(p.warehouses[0]?.incoming).toEqual([{ qty: 5, eta: "2099-01-02", ref: "WH/IN/00019", erpId: "19" }]);
    // A later status without the id keeps the one the ERP sent before.
    await pushOk(SHOP, erpSecret, "orders", { orders: [{ orderRef: "odoo-1", status: "shipped", at: "2026-11-04T15:00:00Z", version: 2 }] });
    expect(await (await staff("/orders/odoo-1")).json<StaffOrder>()).toMatchObject({ erpRef: "S00091", erpId: "91", status: "shipped" });
  });

  it("refuses a landed cost that is not a decimal amount, and stores nothing of that row", async () => {
    const res = await push(SHOP, erpSecret, "products", { products: [{ sku: "BADLC", name: "Bad", landedCost: "five", version: 1 }] });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("landedCost");
    expect((await staff("/products/BADLC")).status).toBe(404);
  });
});

describe("staff order", () => {
  it("shows the ERP status, ref, timeline and shipments with derived tracking URLs", async () => {
    const res = await staff("/orders/820982911946154508");
    expect(res.status).toBe(200);
    // Other features add fields (e.g. deliveries); these are the edge core's.
    expect(await res.json<StaffOrder>()).toMatchObject({
      orderRef: "820982911946154508",
      orderNumber: "#1001",
      email: "jon@example.com",
      erpRef: "SO-42",
      status: "shipped",
      timeline: [{ status: "shipped", at: "2026-11-03T15:00:00.000Z" }],
      shipments: [
        {
          carrier: "UPS",
          trackingNumber: "1Z879E930346834440",
          trackingUrl: "https://wwwapps.ups.com/WebTracking/track?track=yes&trackNums=1Z879E930346834440",
        },
      ],
      updatedAt: expect.any(String),
    });
  });

  it("answers 404 order_not_found for an unknown order", async () => {
    const res = await staff("/orders/does-not-exist");
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "order_not_found" } });
  });
});
