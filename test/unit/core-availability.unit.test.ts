import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { availability, availableToPromise, nextArrival, stockStatus, type WarehouseStock } from "../../worker/domain/availability";

const TODAY = "2026-11-23";
const wh = (code: string, onHand: number, extra: Partial<WarehouseStock> = {}): WarehouseStock => ({
  code,
  name: code,
  onHand,
  committed: 0,
  reserved: 0,
  incoming: [],
  updatedAt: 0,
  ...extra,
});
const rules = { backorder: false, safetyStock: 0, lowStockThreshold: 5 };

describe("available to promise", () => {
  it("is on hand − committed − reserved − safety stock", () => {
    expect(availableToPromise({ onHand: 20, committed: 3, reserved: 2 }, 4)).toBe(11);
  });

  it("is never below zero, whatever the ERP sends", () => {
    const n = fc.integer({ min: -1_000_000_000, max: 1_000_000_000 });
    const q = fc.nat({ max: 1_000_000_000 });
    fc.assert(
      fc.property(n, q, q, q, (onHand, committed, reserved, safety) => {
        const a = availableToPromise({ onHand, committed, reserved }, safety);
        expect(a).toBeGreaterThanOrEqual(0);
        expect(a).toBe(Math.max(0, onHand - committed - reserved - safety));
      }),
      { numRuns: 500 },
    );
  });

  it("applies safety stock per warehouse, so one warehouse's surplus does not hide another's deficit", () => {
    const item = availability("A", [wh("BER", 10), wh("HAM", 1, { committed: 5 })], { ...rules, safetyStock: 2 }, TODAY);
    expect(item.warehouses).toEqual([
      { code: "BER", name: "BER", available: 8 },
      { code: "HAM", name: "HAM", available: 0 },
    ]);
    expect(item.available).toBe(8);
  });
});

describe("stock status", () => {
  it.each([
    [0, false, 5, "out_of_stock"],
    [0, true, 5, "backorder"],
    [1, true, 5, "low_stock"],
    [5, false, 5, "low_stock"],
    [6, false, 5, "in_stock"],
    [1, false, 0, "in_stock"],
  ] as const)("available %i, backorder %s, threshold %i → %s", (available, backorder, lowStockThreshold, status) => {
    expect(stockStatus(available, { backorder, lowStockThreshold })).toBe(status);
  });
});

describe("next arrival", () => {
  it("is the earliest delivery due today or later, summed over POs and warehouses due that day", () => {
    const warehouses = [
      wh("BER", 0, {
        incoming: [
          { qty: 99, eta: "2026-11-22" },
          { qty: 10, eta: "2026-12-01", ref: "PO-1" },
          { qty: 5, eta: "2026-11-30T08:00:00+01:00" },
        ],
      }),
      wh("HAM", 0, { incoming: [{ qty: 7, eta: "2026-11-30" }] }),
    ];
    expect(nextArrival(warehouses, TODAY)).toEqual({ qty: 12, eta: "2026-11-30" });
    expect(nextArrival(warehouses, "2026-12-02")).toBeUndefined();
  });

  it("counts a delivery due today", () => {
    expect(nextArrival([wh("BER", 0, { incoming: [{ qty: 3, eta: TODAY }] })], TODAY)).toEqual({ qty: 3, eta: TODAY });
  });
});

describe("availability item", () => {
  it("sums warehouses, reports the newest update and the status", () => {
    const item = availability("A", [wh("BER", 3, { updatedAt: Date.UTC(2026, 0, 2) }), wh("HAM", 4, { updatedAt: Date.UTC(2026, 0, 1) })], rules, TODAY);
    expect(item).toEqual({
      sku: "A",
      available: 7,
      status: "in_stock",
      warehouses: [
        { code: "BER", name: "BER", available: 3 },
        { code: "HAM", name: "HAM", available: 4 },
      ],
      updatedAt: "2026-01-02T00:00:00.000Z",
    });
  });
});
