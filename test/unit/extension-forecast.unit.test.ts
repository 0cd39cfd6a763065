import { describe, expect, it } from "vitest";
import { CHART, chartBars } from "../../extension/lib/ui/forecast-section";

/** The product panel's forecast chart (issue 15): the last 12 weeks, then the 12-week forecast. */
describe("the forecast chart", () => {
  it("scales every bar to the highest week and marks the forecast ones", () => {
    const bars = chartBars([0, 5, 10], [10, 2.5]);
    expect(bars.map((b) => [b.height, b.forecast])).toEqual([
      [0, false],
      [24, false],
      [48, false],
      [48, true],
      [12, true],
    ]);
    expect(bars.every((b) => b.y + b.height === CHART.height)).toBe(true);
    expect(bars[4]?.x).toBe(192);
  });

  it("draws flat zero bars when nothing sold and nothing is expected", () => {
    expect(chartBars([0, 0], [0]).map((b) => b.height)).toEqual([0, 0, 0]);
  });
});
