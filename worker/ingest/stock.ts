import type { StockRow } from "../contract";
import { textColumn } from "../db/columns";
import { type ChunkRow, chunkSteps } from "./chunks";
import { type Plan, reject } from "./plan";

/**
 * Many rows in one statement: the rows travel as one JSON array and `json_each` feeds them to the
 * versioned upsert in order; `applyPlan` counts the rows it applied (inserted, or updated by a higher
 * version) with SQLite's changes(). A row's incoming purchase orders travel as a JSON string inside it:
 * SQLite stores that string as it is, where a nested array would be parsed and rendered again (≈ 10 %
 * of a stock push's SQL inside the object, measured; the object is the pool's one thread, the worker
 * is not).
 */
const UPSERT_MANY = `
INSERT INTO stock (shop_id, sku, warehouse, on_hand, committed, incoming, version, demand, updated_at)
SELECT ?1, r.value ->> 0, r.value ->> 1, r.value ->> 2, r.value ->> 3, r.value ->> 4, r.value ->> 5, r.value ->> 6, ?2
FROM json_each(?3) AS r WHERE true
ON CONFLICT (shop_id, sku, warehouse) DO UPDATE SET on_hand = excluded.on_hand, committed = excluded.committed,
  demand = excluded.demand, incoming = excluded.incoming, version = excluded.version, updated_at = excluded.updated_at
WHERE excluded.version > stock.version`;

export async function planStock(db: D1Database, shop: string, rows: ReadonlyArray<{ index: number; row: StockRow }>, now: number): Promise<Plan> {
  const warehouses = new Set(await textColumn(db.prepare("SELECT code FROM warehouses WHERE shop_id = ?").bind(shop)));
  const upsert = db.prepare(UPSERT_MANY);
  const rejected = [];
  const accepted: ChunkRow[] = [];
  const touched = new Set<string>();
  for (const { index, row } of rows) {
    if (!warehouses.has(row.warehouse)) {
      rejected.push(reject(index, "unknown_warehouse", `Warehouse "${row.warehouse}" has not been pushed`));
      continue;
    }
    accepted.push({
      index,
      values: [row.sku, row.warehouse, row.onHand, row.committed ?? 0, JSON.stringify(row.incoming ?? []), row.version, row.demand ?? null],
    });
    touched.add(row.sku);
  }
  return { steps: chunkSteps(accepted, (json) => upsert.bind(shop, now, json)), rejected, touchedSkus: [...touched] };
}
