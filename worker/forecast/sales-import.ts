import type { RowRejection } from "../contract";
import { SalesRow } from "../contract/quality";
import { type ChunkRow, chunkSteps } from "../ingest/chunks";
import { type Plan, reject } from "../ingest/plan";

/**
 * An ERP's sales history into the pool's demand: one row per (SKU, warehouse, day), kept under the
 * source `import`. Importing a day again replaces its quantity (the file is the ERP's truth for that
 * day); history carries no version. Rows for days after `today` are refused.
 */
const UPSERT = `
INSERT INTO demand_lines (pool_id, source, line, sku, warehouse, day, qty)
SELECT ?1, 'import', r.value ->> 2, r.value ->> 0, r.value ->> 1, r.value ->> 2, r.value ->> 3 FROM json_each(?2) AS r WHERE true
ON CONFLICT (pool_id, source, line, sku, warehouse) DO UPDATE SET qty = excluded.qty
RETURNING 1`;

export function planSales(db: D1Database, pool: string, raw: readonly unknown[], today: string): Plan {
  const rejected: RowRejection[] = [];
  const rows: ChunkRow[] = [];
  raw.forEach((value, index) => {
    const parsed = SalesRow.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      rejected.push(reject(index, "invalid_row", issue ? `${issue.path.join(".") || "row"}: ${issue.message}` : "invalid row"));
    } else if (parsed.data.date > today) rejected.push(reject(index, "date_in_future", `${parsed.data.date} lies after today (${today})`));
    else rows.push({ index, values: [parsed.data.sku, parsed.data.warehouse ?? "", parsed.data.date, parsed.data.qty] });
  });
  const stmt = db.prepare(UPSERT);
  return { steps: chunkSteps(rows, (json) => stmt.bind(pool, json)), rejected, touchedSkus: [] };
}
