import { beforeAll, describe, expect, it } from "vitest";
import type { StaffProduct } from "../../worker/contract";
import { call, createShop, poolDb, push, pushOk, putErpConnector } from "./helpers";

/**
 * Issue 9: "available" has two readings staff see side by side per warehouse. `free` = on hand −
 * committed − reserved at the edge (Odoo's free_qty); `forecast` = on hand − max(committed, demand)
 * − reserved at the edge + open receipts (Odoo's virtual_available). The shop's public availability
 * uses the ERP connector's mode, `free` when there is none.
 */

const SHOP = "staff-forecast";
let staffKey: string;
let erpSecret: string;

const product = async (sku: string): Promise<StaffProduct> => {
  const res = await call(`/v1/staff/${SHOP}/products/${sku}`, { headers: { authorization: `Bearer ${staffKey}` } });
  expect(res.status).toBe(200);
  return res.json();
};
const readings = (p: StaffProduct) => p.warehouses.map((w) => ({ code: w.code, free: w.free, forecast: w.forecast, demand: w.demand }));

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
  await pushOk(SHOP, erpSecret, "products", { products: [{ sku: "DESK", name: "Desk", version: 1 }] });
});

describe("free and forecast in the staff view", () => {
  it("a pushed demand lowers the forecast, not free; receipts raise the forecast; the edge's holds lower both", async () => {
    await pushOk(SHOP, erpSecret, "stock", {
      items: [
        // 10 on hand, 2 reserved by the ERP, 7 ordered in all (5 not reserved yet), 4 arriving.
        { sku: "DESK", warehouse: "BER", onHand: 10, committed: 2, demand: 7, incoming: [{ qty: 4, eta: "2099-01-02" }], version: 1 },
        // No demand figure: the ERP's committed is all the demand known.
        { sku: "DESK", warehouse: "HAM", onHand: 6, committed: 1, version: 1 },
      ],
    });
    await poolDb(SHOP).prepare("UPDATE stock SET reserved = 1 WHERE shop_id = ? AND sku = 'DESK' AND warehouse = 'BER'").bind(SHOP).run();
    const p = await product("DESK");
    expect(readings(p)).toEqual([
      { code: "BER", free: 10 - 2 - 1, forecast: 10 - 7 - 1 + 4, demand: 7 },
      { code: "HAM", free: 6 - 1, forecast: 6 - 1, demand: undefined },
    ]);
    // Public availability is untouched by demand: on hand − committed − reserved, as before.
    expect(p.warehouses.map((w) => w.available)).toEqual([7, 5]);
    expect(p.availabilityMode).toBe("free");
  });

  it("demand below what the ERP committed takes nothing extra; a later version without demand clears it", async () => {
    await pushOk(SHOP, erpSecret, "stock", { items: [{ sku: "DESK", warehouse: "HAM", onHand: 6, committed: 3, demand: 2, version: 2 }] });
    expect(readings(await product("DESK"))[1]).toEqual({ code: "HAM", free: 3, forecast: 3, demand: 2 });
    // An older version changes nothing, its demand included.
    await pushOk(SHOP, erpSecret, "stock", { items: [{ sku: "DESK", warehouse: "HAM", onHand: 6, committed: 0, demand: 6, version: 1 }] });
    expect(readings(await product("DESK"))[1]).toEqual({ code: "HAM", free: 3, forecast: 3, demand: 2 });
    await pushOk(SHOP, erpSecret, "stock", { items: [{ sku: "DESK", warehouse: "HAM", onHand: 6, committed: 3, version: 3 }] });
    expect(readings(await product("DESK"))[1]).toEqual({ code: "HAM", free: 3, forecast: 3, demand: undefined });
  });

  it("says which reading the shop's availability uses: the Odoo connector's mode", async () => {
    const odoo = { kind: "odoo", url: "http://odoo.test", db: "demo", protocol: "jsonrpc", login: "admin", apiKey: "admin" };
    expect((await putErpConnector(SHOP, { ...odoo, availability: "forecast" })).status).toBe(200);
    expect((await product("DESK")).availabilityMode).toBe("forecast");
    expect((await putErpConnector(SHOP, odoo)).status).toBe(200);
    expect((await product("DESK")).availabilityMode).toBe("free");
  });

  it("a negative demand is a rejected row that changes nothing", async () => {
    const res = await push(SHOP, erpSecret, "stock", { items: [{ sku: "DESK", warehouse: "BER", onHand: 10, committed: 2, demand: -1, version: 9 }] });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ error: { code: "all_rows_rejected", details: { rejected: [{ index: 0, code: "invalid_row" }] } } });
    expect(readings(await product("DESK"))[0]).toMatchObject({ code: "BER", demand: 7 });
  });
});
