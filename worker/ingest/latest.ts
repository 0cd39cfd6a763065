/**
 * Which rows of a push decide what is stored about their SKU, as if the push ran row by row: per SKU,
 * the last row that `counts` and whose version is not below any earlier row's of the same SKU (rows
 * that do not count still raise the bar). One pass, no re-sorting: the marks are in push order.
 */
export function latestPerSku<R extends { sku: string; version: number }>(
  rows: ReadonlyArray<{ row: R }>,
  counts: (row: R) => boolean = () => true,
): Uint8Array {
  const bySku = new Map<string, { highest: number; chosen: number }>();
  for (const [i, { row }] of rows.entries()) {
    const seen = bySku.get(row.sku);
    if (seen === undefined) bySku.set(row.sku, { highest: row.version, chosen: counts(row) ? i : -1 });
    else {
      if (row.version >= seen.highest && counts(row)) seen.chosen = i;
      if (row.version > seen.highest) seen.highest = row.version;
    }
  }
  const marks = new Uint8Array(rows.length);
  for (const { chosen } of bySku.values()) if (chosen >= 0) marks[chosen] = 1;
  return marks;
}
