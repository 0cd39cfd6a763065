import type { StockRow } from "../contract";
import { textColumn } from "../db/columns";
import { type Plan, reject } from "./plan";

/**
 * Rows per upsert statement, and a bound on the JSON each statement carries (D1 caps a bound
 * value's size). One statement per row made a 10,000-row push cost 10,000 round trips into SQLite.
 */
const CHUNK_ROWS = 500;
const CHUNK_BYTES = 256 * 1024;

/**
 * Many rows in one statement: the rows travel as one JSON array and `json_each` feeds them to the
 * versioned upsert in order, so equal keys inside a push meet exactly as they would one by one.
 * RETURNING yields one result row per row applied (inserted, or updated by a higher version).
 */
const UPSERT_MANY = `
INSERT INTO stock (shop_id, sku, warehouse, on_hand, committed, incoming, version, updated_at)
SELECT ?1, r.value ->> 0, r.value ->> 1, r.value ->> 2, r.value ->> 3, r.value ->> 4, r.value ->> 5, ?2
FROM json_each(?3) AS r WHERE true
ON CONFLICT (shop_id, sku, warehouse) DO UPDATE SET on_hand = excluded.on_hand, committed = excluded.committed,
  incoming = excluded.incoming, version = excluded.version, updated_at = excluded.updated_at
WHERE excluded.version > stock.version
RETURNING 1`;

export async function planStock(db: D1Database, shop: string, rows: ReadonlyArray<{ index: number; row: StockRow }>, now: number): Promise<Plan> {
  const warehouses = new Set(await textColumn(db.prepare("SELECT code FROM warehouses WHERE shop_id = ?").bind(shop)));
  const upsert = db.prepare(UPSERT_MANY);
  const plan: Plan = { steps: [], rejected: [], touchedSkus: [] };
  const touched = new Set<string>();
  let chunk: string[] = [];
  let indices: number[] = [];
  let bytes = 0;
  const flush = () => {
    if (indices.length === 0) return;
    plan.steps.push({ row: indices[0], rows: indices, stmt: upsert.bind(shop, now, `[${chunk.join(",")}]`) });
    chunk = [];
    indices = [];
    bytes = 0;
  };
  for (const { index, row } of rows) {
    if (!warehouses.has(row.warehouse)) {
      plan.rejected.push(reject(index, "unknown_warehouse", `Warehouse "${row.warehouse}" has not been pushed`));
      continue;
    }
    const json = JSON.stringify([row.sku, row.warehouse, row.onHand, row.committed ?? 0, JSON.stringify(row.incoming ?? []), row.version]);
    if (indices.length >= CHUNK_ROWS || bytes + json.length > CHUNK_BYTES) flush();
    chunk.push(json);
    indices.push(index);
    bytes += json.length + 1;
    touched.add(row.sku);
  }
  flush();
  plan.touchedSkus = [...touched];
  return plan;
}
