/** The p-th percentile (nearest rank) of a list of numbers; NaN for an empty list. */
export function percentile(values, p) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** Rounds for a table: 3 significant decimals under 10, 1 under 1000, none above. */
export function round(n) {
  if (!Number.isFinite(n)) return n;
  const abs = Math.abs(n);
  return abs < 10 ? Math.round(n * 1000) / 1000 : abs < 1000 ? Math.round(n * 10) / 10 : Math.round(n);
}
