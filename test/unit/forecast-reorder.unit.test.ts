import { describe, expect, it } from "vitest";
import { normalQuantile, reorder } from "../../worker/forecast/reorder";

describe("reorder suggestions", () => {
  it("takes the safety factor from the service level", () => {
    expect(normalQuantile(0.95)).toBeCloseTo(1.6449, 4);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.999)).toBeCloseTo(3.0902, 4);
  });

  const steady = { weekly: Array.from({ length: 12 }, () => 70), weeklySd: 0, incoming: [], leadTimeDays: 14 };

  it("reorders at or below the demand over the lead time plus safety stock, enough to last the lead time and a review period", () => {
    expect(reorder({ ...steady, available: 100 })).toEqual({
      coverDays: 10,
      reorderPoint: 140,
      safetyStock: 0,
      reorderNow: true,
      suggestedQty: 42 * 10 - 100,
      peakWeek: 0,
    });
    expect(reorder({ ...steady, available: 141 })).toMatchObject({ reorderNow: false });
  });

  it("counts purchase orders on the way, in cover on their day", () => {
    const r = reorder({ ...steady, available: 100, incoming: [{ qty: 100, inDays: 5 }] });
    expect(r).toMatchObject({ coverDays: 20, reorderNow: false, suggestedQty: 420 - 200 });
  });

  it("sizes safety stock by the weekly spread over the lead time, and orders through a later peak", () => {
    const peak = reorder({ weekly: [10, 10, 10, 10, 10, 10, 10, 10, 100, 10, 10, 10], weeklySd: 7, available: 0, incoming: [], leadTimeDays: 7 });
    expect(peak.safetyStock).toBeCloseTo(11.5, 1);
    expect(peak.peakWeek).toBe(8);
    // Through the end of week 8: 8 × 10 + 100, plus safety stock.
    expect(peak.suggestedQty).toBe(Math.ceil(180 + 1.6448536 * 7));
  });

  it("suggests nothing without expected demand", () => {
    expect(reorder({ ...steady, weekly: Array.from({ length: 12 }, () => 0), available: 0 })).toMatchObject({
      coverDays: null,
      reorderNow: false,
      suggestedQty: 0,
    });
  });
});
