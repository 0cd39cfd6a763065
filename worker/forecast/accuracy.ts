/**
 * Forecast accuracy as the bench reports it: MASE (mean absolute error over the held-out days,
 * scaled by the in-sample mean absolute error of the seasonal-naive forecast, Hyndman & Koehler
 * 2006) and bias (Σ forecast − Σ actual, as a share of Σ actual).
 */

/** The seasonal-naive forecast: the last `season` days repeated over `days`. */
export function seasonalNaive(history: readonly number[], season: number, days: number): number[] {
  const last = history.slice(history.length - season);
  return Array.from({ length: days }, (_, d) => last[d % season] ?? 0);
}

/** In-sample mean absolute error of the seasonal-naive forecast: MASE's scale; undefined when it is 0 (nothing to scale by). */
export function naiveScale(history: readonly number[], season: number): number | undefined {
  let sum = 0;
  let n = 0;
  for (let t = season; t < history.length; t++) {
    sum += Math.abs((history[t] ?? 0) - (history[t - season] ?? 0));
    n++;
  }
  return n > 0 && sum > 0 ? sum / n : undefined;
}

export const meanAbsoluteError = (forecast: readonly number[], actual: readonly number[]): number =>
  actual.reduce((s, a, i) => s + Math.abs((forecast[i] ?? 0) - a), 0) / Math.max(1, actual.length);

/** One series' MASE of `forecast` on `actual`, scaled by its history; undefined when the history gives no scale. */
export function mase(forecast: readonly number[], actual: readonly number[], history: readonly number[], season: number): number | undefined {
  const scale = naiveScale(history, season);
  return scale === undefined ? undefined : meanAbsoluteError(forecast, actual) / scale;
}

/** (Σ forecast − Σ actual) / Σ actual over many series; undefined when nothing was sold. */
export function bias(pairs: ReadonlyArray<{ forecast: readonly number[]; actual: readonly number[] }>): number | undefined {
  let f = 0;
  let a = 0;
  for (const p of pairs) {
    f += p.forecast.reduce((x, y) => x + y, 0);
    a += p.actual.reduce((x, y) => x + y, 0);
  }
  return a > 0 ? (f - a) / a : undefined;
}
