import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { availability, type WarehouseStock } from "../../worker/domain/availability";
import { channelAvailable, heldBack, spreadOver } from "../../worker/domain/channel-limit";

const wh = (code: string, onHand: number, reserved = 0): WarehouseStock => ({ code, name: code, onHand, committed: 0, reserved, incoming: [], updatedAt: 0 });
const none = { bufferUnits: 0, bufferPercent: 0, cap: null };

describe("what a channel's rules leave it", () => {
  it("holds back units, or a percentage of on hand rounded up, and caps what is left", () => {
    expect(heldBack({ ...none, bufferUnits: 3 }, 100)).toBe(3);
    expect(heldBack({ ...none, bufferPercent: 10 }, 15)).toBe(2);
    expect(channelAvailable(12, 20, { ...none, bufferPercent: 25 })).toBe(7);
    expect(channelAvailable(12, 20, { ...none, bufferUnits: 2, cap: 4 })).toBe(4);
    expect(channelAvailable(1, 20, { ...none, bufferUnits: 2 })).toBe(0);
  });

  it("is never more than the pool has, never below zero, and the same as no rules when there are none", () => {
    const n = fc.nat({ max: 1_000_000 });
    fc.assert(
      fc.property(n, n, n, fc.integer({ min: 0, max: 100 }), fc.option(n, { nil: null }), (available, onHand, units, percent, cap) => {
        const got = channelAvailable(available, onHand, { bufferUnits: units, bufferPercent: percent, cap });
        expect(got).toBeGreaterThanOrEqual(0);
        expect(got).toBeLessThanOrEqual(available);
        if (cap !== null) expect(got).toBeLessThanOrEqual(cap);
        expect(channelAvailable(available, onHand, none)).toBe(available);
      }),
    );
  });

  it("spreads a channel's total over its warehouses, most available first, adding up to the total", () => {
    expect(
      spreadOver(
        [
          { code: "A", available: 2 },
          { code: "B", available: 6 },
        ],
        7,
      ),
    ).toEqual([
      { code: "A", available: 1 },
      { code: "B", available: 6 },
    ]);
    const item = availability(
      "SKU",
      [wh("BER", 6), wh("HAM", 4)],
      { backorder: false, safetyStock: 0, lowStockThreshold: 5, channel: { ...none, bufferUnits: 5 } },
      "2026-11-30",
    );
    expect(item).toMatchObject({
      available: 5,
      status: "low_stock",
      warehouses: [
        { code: "BER", available: 5 },
        { code: "HAM", available: 0 },
      ],
    });
  });
});
