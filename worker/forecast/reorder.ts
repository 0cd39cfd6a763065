/**
 * A reorder suggestion for one SKU in one warehouse from its weekly forecast: how many days the
 * stock covers, the reorder point (demand over the warehouse's lead time plus safety stock for the
 * service level), whether to reorder now, and how much to order so the stock lasts through the
 * forecast's peak week.
 */

/** The share of lead times without a stock-out the safety stock is sized for. */
export const SERVICE_LEVEL = 0.95;
/** Lead time when the ERP sends none for the warehouse. */
export const DEFAULT_LEAD_TIME_DAYS = 14;
/** After the lead time, the order should also last this long (one review period). */
export const REVIEW_DAYS = 28;

export interface ReorderInput {
  weekly: readonly number[];
  weeklySd: number;
  /** What can be sold now (on hand − committed − reserved − safety stock). */
  available: number;
  /** Purchase orders on the way, due in this many days from today. */
  incoming: ReadonlyArray<{ qty: number; inDays: number }>;
  leadTimeDays: number;
  serviceLevel?: number;
}

export interface Reorder {
  /** Days until the forecast demand exceeds what is available and arriving; null when not within the forecast. */
  coverDays: number | null;
  reorderPoint: number;
  safetyStock: number;
  reorderNow: boolean;
  suggestedQty: number;
  /** The week (0 = the coming week) with the highest forecast. */
  peakWeek: number;
}

/** The standard normal quantile (Acklam's rational approximation; |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const poly = (k: number[], x: number) => k.reduce((acc, v) => acc * x + v, 0);
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(c, q) / (poly(d, q) * q + 1);
  }
  if (p > 1 - 0.02425) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (poly(a, r) * q) / (poly(b, r) * r + 1);
}

/** Forecast demand of day `d` (0 = today): its week's mean spread evenly; past the forecast, its last week. */
const rate = (weekly: readonly number[], d: number): number => (weekly[Math.floor(d / 7)] ?? weekly.at(-1) ?? 0) / 7;
const demandOver = (weekly: readonly number[], days: number): number => {
  let sum = 0;
  for (let d = 0; d < Math.floor(days); d++) sum += rate(weekly, d);
  return sum + (days % 1) * rate(weekly, Math.floor(days));
};

export function reorder(input: ReorderInput): Reorder {
  const { weekly, available } = input;
  const lead = Math.max(0, input.leadTimeDays);
  const safetyStock = Math.max(0, normalQuantile(input.serviceLevel ?? SERVICE_LEVEL) * input.weeklySd * Math.sqrt(lead / 7));
  const reorderPoint = Math.ceil(demandOver(weekly, lead) + safetyStock);
  const onOrder = input.incoming.reduce((s, i) => s + i.qty, 0);
  const position = available + onOrder;

  let coverDays: number | null = null;
  let stock = available;
  for (let d = 0; d < weekly.length * 7; d++) {
    stock += input.incoming.filter((i) => Math.max(0, Math.ceil(i.inDays)) === d).reduce((s, i) => s + i.qty, 0);
    const need = rate(weekly, d);
    if (need > stock) {
      coverDays = Math.round((d + (need > 0 ? stock / need : 0)) * 10) / 10;
      break;
    }
    stock -= need;
  }

  let peakWeek = 0;
  weekly.forEach((q, w) => {
    if (q > (weekly[peakWeek] ?? 0)) peakWeek = w;
  });
  const horizon = Math.max(lead + REVIEW_DAYS, (peakWeek + 1) * 7);
  const expected = demandOver(weekly, lead) > 0;
  const suggestedQty = expected ? Math.max(0, Math.ceil(demandOver(weekly, horizon) + safetyStock - position)) : 0;
  return { coverDays, reorderPoint, safetyStock: Math.round(safetyStock * 10) / 10, reorderNow: expected && position <= reorderPoint, suggestedQty, peakWeek };
}
