/**
 * Demand forecasts per SKU: weekly totals from daily history, a weekday profile for the weekly
 * season, a week-of-year index for the yearly season once two years are known, and the method by the
 * series' class. No maintained forecasting library for the Workers runtime covers this (npm has
 * ARIMA in WebAssembly, nothing with Croston/SBA or exponential smoothing), so it is a small one here.
 *
 * - regular series (a sale in most weeks): exponential smoothing of the level with a damped trend
 *   (Holt, φ = 0.9), α and β chosen by the smallest one-step-ahead squared error over the history;
 * - intermittent series (average interval between weeks with a sale above 1.32, Syntetos & Boylan):
 *   Croston's method with the Syntetos–Boylan correction (SBA), α from {0.05, 0.1, 0.2, 0.3} by the
 *   smallest one-step-ahead error over the history;
 * - no sale in the history: zero.
 */

export type DemandClass = "regular" | "intermittent" | "none";

/** Syntetos & Boylan's cut-off for the average demand interval. */
export const ADI_CUTOFF = 1.32;
export const SBA_ALPHA = 0.1;
export const DAMPING = 0.9;
const GRID = [0.05, 0.1, 0.2, 0.3, 0.5];

export interface Forecast {
  class: DemandClass;
  method: "holt-damped" | "sba" | "zero";
  /** Mean demand per future week, from the week after the history. */
  weekly: number[];
  /** Share of a week's demand per weekday, Monday first (sums to 1). */
  weekday: number[];
  /** Standard deviation of the one-step weekly errors over the history: the forecast's uncertainty. */
  weeklySd: number;
}

/** 7-day totals, the last block ending on the history's last day (a partial first block is dropped). */
export function weeklyTotals(daily: readonly number[]): number[] {
  const weeks: number[] = [];
  for (let end = daily.length; end - 7 >= 0; end -= 7) weeks.unshift(daily.slice(end - 7, end).reduce((a, b) => a + b, 0));
  return weeks;
}

/** Regular, intermittent or none, by the average interval between weeks with a sale. */
export function classify(weeks: readonly number[]): DemandClass {
  const selling = weeks.filter((q) => q > 0).length;
  if (selling === 0) return "none";
  return weeks.length / selling > ADI_CUTOFF ? "intermittent" : "regular";
}

/** Damped-trend Holt over `y` with the given smoothing; answers the forecasts and the one-step errors. */
function holt(y: readonly number[], alpha: number, beta: number, horizon: number): { forecast: number[]; errors: number[] } {
  let level = y[0] ?? 0;
  let trend = 0;
  const errors: number[] = [];
  for (let t = 1; t < y.length; t++) {
    const predicted = level + DAMPING * trend;
    const actual = y[t] ?? 0;
    errors.push(actual - predicted);
    const previous = level;
    level = alpha * actual + (1 - alpha) * predicted;
    trend = beta * (level - previous) + (1 - beta) * DAMPING * trend;
  }
  const forecast: number[] = [];
  let damp = 0;
  for (let h = 1; h <= horizon; h++) {
    damp += DAMPING ** h;
    forecast.push(Math.max(0, level + damp * trend));
  }
  return { forecast, errors };
}

/** Croston with the Syntetos–Boylan correction: (1 − α/2) · size / interval, the same every week; with its one-step errors. */
function sba(y: readonly number[], horizon: number, alpha = SBA_ALPHA): { forecast: number[]; errors: number[] } {
  let size: number | undefined;
  let interval = 1;
  let since = 1;
  const errors: number[] = [];
  const rate = () => (size === undefined ? 0 : (1 - alpha / 2) * (size / interval));
  for (const q of y) {
    if (size !== undefined) errors.push(q - rate());
    if (q > 0) {
      if (size === undefined) {
        size = q;
        interval = since;
      } else {
        size += alpha * (q - size);
        interval += alpha * (since - interval);
      }
      since = 1;
    } else since++;
  }
  return { forecast: Array.from({ length: horizon }, rate), errors };
}

const sd = (errors: readonly number[]): number => (errors.length === 0 ? 0 : Math.sqrt(errors.reduce((a, e) => a + e * e, 0) / errors.length));

/**
 * Share of demand per weekday (Monday first), from the daily history whose last day is `lastDay`
 * (0 = Monday), shrunk towards an even week by a prior of one week's demand spread evenly.
 */
export function weekdayProfile(daily: readonly number[], lastDay: number): number[] {
  const sums = Array.from({ length: 7 }, () => 0);
  daily.forEach((q, i) => {
    const dow = (((lastDay - (daily.length - 1 - i)) % 7) + 7) % 7;
    sums[dow] = (sums[dow] ?? 0) + q;
  });
  const total = sums.reduce((a, b) => a + b, 0);
  const prior = Math.max(total / Math.max(1, daily.length / 7), 1e-9) / 7;
  const shrunk = sums.map((s) => s + prior);
  const all = shrunk.reduce((a, b) => a + b, 0);
  return shrunk.map((s) => s / all);
}

/**
 * A week-of-year index (mean 1) from two or more full years of weekly history, shrunk halfway
 * towards 1; `undefined` with less (one year cannot tell a season from a one-off).
 */
export function yearlyIndex(weeks: readonly number[]): number[] | undefined {
  const years = Math.floor(weeks.length / 52);
  if (years < 2) return undefined;
  const recent = weeks.slice(weeks.length - years * 52);
  const mean = recent.reduce((a, b) => a + b, 0) / recent.length;
  if (mean <= 0) return undefined;
  return Array.from({ length: 52 }, (_, w) => {
    let s = 0;
    for (let y = 0; y < years; y++) s += recent[y * 52 + w] ?? 0;
    return 0.5 + 0.5 * (s / years / mean);
  });
}

/**
 * The forecast of `horizon` weeks from daily history (oldest first, the last entry the last day
 * known, `lastDay` its weekday, 0 = Monday). The days before the first sale are left out.
 */
export function forecastDemand(history: readonly number[], lastDay: number, horizon = 12): Forecast {
  // A series starts with its first sale: the days before (the product was not sold yet) say nothing.
  const first = history.findIndex((q) => q > 0);
  const daily = first < 0 ? history : history.slice(first);
  const weeks = weeklyTotals(daily);
  const cls = classify(weeks);
  const weekday = weekdayProfile(daily, lastDay);
  if (cls === "none") return { class: cls, method: "zero", weekly: Array.from({ length: horizon }, () => 0), weekday, weeklySd: 0 };
  if (cls === "intermittent") {
    let f = sba(weeks, horizon);
    for (const alpha of [0.05, 0.2, 0.3]) {
      const g = sba(weeks, horizon, alpha);
      if (sd(g.errors) < sd(f.errors)) f = g;
    }
    return { class: cls, method: "sba", weekly: f.forecast, weekday, weeklySd: sd(f.errors) };
  }
  const index = yearlyIndex(weeks);
  // Deseasonalise by the index (week w of the history sits at position w mod 52 of the last years).
  const at = (t: number) => index?.[(((t - weeks.length) % 52) + 52) % 52] ?? 1;
  const adjusted = weeks.map((q, t) => q / at(t));
  let best: { forecast: number[]; errors: number[] } | undefined;
  let bestSse = Number.POSITIVE_INFINITY;
  for (const alpha of GRID) {
    for (const beta of [0, ...GRID.filter((b) => b <= alpha)]) {
      const f = holt(adjusted, alpha, beta, horizon);
      const sse = f.errors.reduce((a, e) => a + e * e, 0);
      if (sse < bestSse) {
        bestSse = sse;
        best = f;
      }
    }
  }
  const chosen = best ?? holt(adjusted, 0.2, 0, horizon);
  return {
    class: cls,
    method: "holt-damped",
    weekly: chosen.forecast.map((q, h) => q * at(weeks.length + h)),
    weekday,
    weeklySd: sd(chosen.errors),
  };
}

/** The forecast spread over days: day `d` (0 = the day after the history) gets its week's mean × its weekday's share. */
export function dailyForecast(f: Forecast, lastDay: number, days: number): number[] {
  return Array.from({ length: days }, (_, d) => {
    const dow = (lastDay + 1 + d) % 7;
    return (f.weekly[Math.floor(d / 7)] ?? f.weekly.at(-1) ?? 0) * (f.weekday[dow] ?? 1 / 7);
  });
}
