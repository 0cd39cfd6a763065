import { describe, expect, it } from "vitest";
import { forecastFrom, HISTORY_DAYS } from "../../worker/forecast/series";

/** Where a day's demand lands in a series' history: the window is the HISTORY_DAYS days up to yesterday (UTC). */

const DAY = 86_400_000;
const NOW = Date.parse("2026-11-30T16:00:00Z");
const day = (daysAgo: number) => new Date(Date.parse("2026-11-30") - daysAgo * DAY).toISOString().slice(0, 10);
const stock = { results: [{ on_hand: 40, committed: 0, reserved: 0, incoming: "[]", safety_stock: null, lead_time_days: 7 }] } as unknown as D1Result;
const withDemand = (rows: { day: string; qty: number }[]) => forecastFrom(stock, { results: rows } as unknown as D1Result, "BER", NOW);

describe("a series' daily history", () => {
  it("counts yesterday in the last week, never today", () => {
    expect(withDemand([{ day: day(1), qty: 3 }])?.history.at(-1)).toBe(3);
    expect(withDemand([{ day: day(0), qty: 3 }])).toMatchObject({ class: "none", history: Array.from({ length: 12 }, () => 0) });
  });

  it("starts on the window's first day: a sale then counts, a sale the day before does not", () => {
    expect(withDemand([{ day: day(HISTORY_DAYS), qty: 5 }])?.class).not.toBe("none");
    expect(withDemand([{ day: day(HISTORY_DAYS + 1), qty: 5 }])?.class).toBe("none");
  });
});
