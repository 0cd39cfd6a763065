import type { StaffForecast } from "../../../worker/contract/quality";

/** One bar of the chart: where it sits (x, y, width, height in the 240 × 48 view box) and whether it is forecast. */
export interface Bar {
  x: number;
  y: number;
  width: number;
  height: number;
  forecast: boolean;
}

export const CHART = { width: 240, height: 48 };

/** The last weeks' demand then the forecast weeks, as bars scaled to the highest week (a pure function of the numbers). */
export function chartBars(history: readonly number[], weekly: readonly number[]): Bar[] {
  const all = [...history, ...weekly];
  const max = Math.max(1, ...all);
  const width = CHART.width / Math.max(1, all.length);
  return all.map((q, i) => {
    const height = Math.round((q / max) * CHART.height * 10) / 10;
    return { x: Math.round(i * width * 10) / 10, y: CHART.height - height, width: Math.max(1, width - 1), height, forecast: i >= history.length };
  });
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/**
 * The forecast section of the product panel (issue 15), collapsed like the others ("· reorder now"
 * in its title when a warehouse is at its reorder point): per warehouse, 12 weeks of demand and the
 * 12-week forecast as bars, days of cover, and the reorder suggestion.
 */
export function ForecastSection({ forecast }: { forecast: StaffForecast }) {
  // Nothing sold and nothing expected: no section (the panel stays as compact as it was).
  if (forecast.warehouses.every((w) => w.class === "none")) return null;
  const urgent = forecast.warehouses.some((w) => w.reorderNow);
  return (
    <details class="section" data-field="demandForecast">
      <summary>Forecast{urgent ? " · reorder now" : ""}</summary>
      {forecast.warehouses.map((w) => (
        <div key={w.warehouse} data-warehouse={w.warehouse}>
          <strong>{w.warehouse}</strong> <small>({w.class === "none" ? "no demand yet" : w.class})</small>
          <svg
            viewBox={`0 0 ${CHART.width} ${CHART.height}`}
            width="100%"
            height={CHART.height}
            role="img"
            aria-label={`Demand: last 12 weeks, then the forecast for ${w.warehouse}`}
          >
            {chartBars(w.history, w.weekly).map((b, i) => (
              <rect key={i} x={b.x} y={b.y} width={b.width} height={b.height} fill={b.forecast ? "#2563eb" : "#9ca3af"} />
            ))}
          </svg>
          <dl class="summary">
            <div>
              <dt>Cover</dt>
              <dd data-field="cover">{w.coverDays === undefined ? "> 12 weeks" : `${fmt(w.coverDays)} days`}</dd>
            </div>
            <div>
              <dt>Reorder point</dt>
              <dd data-field="reorderPoint">{w.reorderPoint}</dd>
            </div>
            <div>
              <dt>Suggested order</dt>
              <dd data-field="suggestedQty" data-urgent={String(w.reorderNow)}>
                {w.suggestedQty > 0 ? `${w.suggestedQty}${w.reorderNow ? " — reorder now" : ""}` : "none"}
              </dd>
            </div>
          </dl>
        </div>
      ))}
    </details>
  );
}
