import { describe, expect, it } from "vitest";
import { bias, mase, naiveScale, seasonalNaive } from "../../worker/forecast/accuracy";
import { classify, dailyForecast, forecastDemand, weekdayProfile, weeklyTotals, yearlyIndex } from "../../worker/forecast/model";

const days = (weeks: number, perDay: (d: number) => number) => Array.from({ length: weeks * 7 }, (_, d) => perDay(d));

describe("the demand model", () => {
  it("sums whole weeks ending on the last day, dropping a partial first week", () => {
    expect(weeklyTotals([9, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2])).toEqual([7, 14]);
  });

  it("classes a series by the average interval between weeks with a sale", () => {
    expect(classify([1, 2, 0, 3, 1])).toBe("regular"); // 5 / 4 = 1.25
    expect(classify([1, 0, 0, 3, 0])).toBe("intermittent");
    expect(classify([0, 0])).toBe("none");
  });

  it("forecasts a steady regular series at its level, with a small spread", () => {
    const f = forecastDemand(
      days(20, () => 10),
      6,
    );
    expect(f).toMatchObject({ class: "regular", method: "holt-damped" });
    for (const w of f.weekly) expect(w).toBeCloseTo(70, 5);
    expect(f.weeklySd).toBeCloseTo(0, 5);
  });

  it("follows a trend, damped", () => {
    const weeks = Array.from({ length: 30 }, (_, w) => 10 + 2 * w);
    const f = forecastDemand(
      weeks.flatMap((q) => [q, 0, 0, 0, 0, 0, 0]),
      6,
    );
    expect(f.weekly[0]).toBeGreaterThan(66);
    expect(f.weekly[11]).toBeGreaterThan(f.weekly[0] ?? 0);
    expect((f.weekly[11] ?? 0) - (f.weekly[10] ?? 0)).toBeLessThan(2);
  });

  it("forecasts an intermittent series by SBA: (1 − α/2) · mean size / mean interval, α by the smallest in-sample error", () => {
    // 40 units every 4th week: Croston's size 40 and interval 4 for every α; the least corrected rate
    // errs least here, so α = 0.05: 0.975 · 10 = 9.75 a week.
    const weeks = Array.from({ length: 40 }, (_, w) => (w % 4 === 3 ? 40 : 0));
    const f = forecastDemand(
      weeks.flatMap((q) => [0, 0, 0, 0, 0, 0, q]),
      6,
    );
    expect(f).toMatchObject({ class: "intermittent", method: "sba" });
    expect(f.weekly[0]).toBeCloseTo(9.75, 5);
    expect(new Set(f.weekly).size).toBe(1);
  });

  it("learns the weekday profile and a yearly season from two years, and spreads weeks over days by it", () => {
    // Sales on Mondays only (the history ends on a Sunday, weekday 6).
    const profile = weekdayProfile(
      days(10, (d) => (d % 7 === 0 ? 7 : 0)),
      6,
    );
    expect(profile[0]).toBeGreaterThan(0.5);
    expect(profile.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    // A December peak in each of two years.
    const weeks = Array.from({ length: 104 }, (_, w) => (w % 52 >= 48 ? 100 : 20));
    const index = yearlyIndex(weeks);
    expect(index?.[50]).toBeGreaterThan(1.5);
    expect(yearlyIndex(weeks.slice(0, 60))).toBeUndefined();
    const f = forecastDemand(
      weeks.flatMap((q) => [q, 0, 0, 0, 0, 0, 0]),
      6,
      52,
    );
    expect(f.weekly[49] ?? 0).toBeGreaterThan(2 * (f.weekly[10] ?? 0));
    const daily = dailyForecast(f, 6, 14);
    expect(daily[0]).toBeGreaterThan(daily[1] ?? 0);
  });
});

describe("accuracy", () => {
  it("scores by MASE against the seasonal-naive scale, and bias as a share of what sold", () => {
    const history = [1, 2, 3, 1, 2, 3, 2, 2, 3];
    expect(seasonalNaive(history, 3, 4)).toEqual([2, 2, 3, 2]);
    expect(naiveScale(history, 3)).toBeCloseTo(1 / 6, 9);
    expect(naiveScale([5, 5, 5, 5], 2)).toBeUndefined();
    expect(mase([2, 2, 2], [2, 3, 1], history, 3)).toBeCloseTo(4, 9);
    expect(
      bias([
        { forecast: [2, 2], actual: [1, 3] },
        { forecast: [1], actual: [1] },
      ]),
    ).toBeCloseTo(0, 9);
    expect(bias([{ forecast: [3], actual: [2] }])).toBeCloseTo(0.5, 9);
  });
});
