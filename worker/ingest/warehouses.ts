import type { WarehouseRow } from "../contract";
import { chunkSteps } from "./chunks";
import type { Plan } from "./plan";

// Warehouses carry no version: a row applies when it changes something.
const UPSERT_MANY = `
INSERT INTO warehouses (shop_id, code, name, country, lead_time_days)
SELECT ?1, r.value ->> 0, r.value ->> 1, r.value ->> 2, r.value ->> 3 FROM json_each(?2) AS r WHERE true
ON CONFLICT (shop_id, code) DO UPDATE SET name = excluded.name, country = excluded.country, lead_time_days = excluded.lead_time_days
WHERE (warehouses.name, warehouses.country, warehouses.lead_time_days) IS NOT (excluded.name, excluded.country, excluded.lead_time_days)`;

export function planWarehouses(db: D1Database, shop: string, rows: ReadonlyArray<{ index: number; row: WarehouseRow }>): Plan {
  const upsert = db.prepare(UPSERT_MANY);
  return {
    steps: chunkSteps(
      rows.map(({ index, row }) => ({ index, values: [row.code, row.name, row.country ?? null, row.leadTimeDays ?? null] })),
      (json) => upsert.bind(shop, json),
    ),
    rejected: [],
    touchedSkus: [],
  };
}
