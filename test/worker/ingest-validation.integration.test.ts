import { beforeAll, describe, expect, it } from "vitest";
import { createShop, poolDb, push, pushOk, snapshotTables } from "./helpers";

/**
 * ERP row validation through the route, with the fast row check in front of zod (issue 17): every
 * row is still checked, a bad row is still rejected with zod's own words, and a push of bad rows only
 * is a 4xx that changes nothing, never a 5xx.
 */

const SHOP = "valid";
let secret = "";
const at = "2026-11-30T05:00:00.000Z";

beforeAll(async () => {
  secret = (await createShop(SHOP)).erpSecret;
  await pushOk(SHOP, secret, "warehouses", { warehouses: [{ code: "BER", name: "Berlin" }] });
});

describe("ERP row validation", () => {
  it("a bad row among good ones is rejected with zod's message for its field; the good rows apply", async () => {
    const result = await pushOk(SHOP, secret, "stock", {
      items: [
        { sku: "A", warehouse: "BER", onHand: 5, version: 1 },
        { sku: "B", warehouse: "BER", onHand: 1.5, version: 1 },
        { sku: "C D", warehouse: "BER", onHand: 1, version: 1 },
        { sku: "E", warehouse: "BER", onHand: 1, version: 1, colour: "red" },
        { sku: "F", warehouse: "BER", onHand: 2, version: 1 },
      ],
    });
    expect(result.applied).toBe(2);
    expect(result.rejected).toEqual([
      { index: 1, code: "invalid_row", message: expect.stringMatching(/^onHand: /) },
      { index: 2, code: "invalid_row", message: "sku: no whitespace or control characters" },
      { index: 3, code: "invalid_row", message: expect.stringMatching(/^row: Unrecognized key/) },
    ]);
    const { results } = await poolDb(SHOP).prepare("SELECT sku FROM stock WHERE shop_id = ? ORDER BY sku").bind(SHOP).all();
    expect(results).toEqual([{ sku: "A" }, { sku: "F" }]);
  });

  it("an order whose tracking URL is empty or unparsable is a rejected row (it was a 500: zod's refinement threw on it)", async () => {
    const before = await snapshotTables();
    for (const trackingUrl of ["", "http://a b", "not a url"]) {
      const res = await push(SHOP, secret, "orders", {
        orders: [{ orderRef: "O-1", status: "shipped", shipments: [{ carrier: "dhl", trackingNumber: "J1", trackingUrl }], at, version: 1 }],
      });
      expect(res.status, trackingUrl).toBe(422);
      const body = await res.json<{ error: { code: string; details: { rejected: Array<{ code: string; message: string }> } } }>();
      expect(body.error.code).toBe("all_rows_rejected");
      expect(body.error.details.rejected[0]?.message).toMatch(/^shipments\.0\.trackingUrl: /);
    }
    expect(await snapshotTables()).toEqual(before);
    const ok = await pushOk(SHOP, secret, "orders", {
      orders: [
        { orderRef: "O-1", status: "shipped", shipments: [{ carrier: "dhl", trackingNumber: "J1", trackingUrl: "HTTPS://Track.Example/x" }], at, version: 1 },
      ],
    });
    expect(ok.applied).toBe(1);
  });

  it("a money field given as a JSON number is stored as its decimal string, as before", async () => {
    await pushOk(SHOP, secret, "prices", {
      lists: [{ id: "L", name: "L", currency: "EUR" }],
      prices: [{ list: "L", sku: "A", minQty: 1, unitPrice: 12.5, version: 1 }],
    });
    const row = await poolDb(SHOP).prepare("SELECT unit_price FROM prices WHERE shop_id = ? AND sku = 'A'").bind(SHOP).first();
    expect(row).toEqual({ unit_price: "12.5" });
  });
});
