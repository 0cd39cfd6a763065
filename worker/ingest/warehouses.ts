import type { WarehouseRow } from "../contract";
import type { Plan } from "./plan";

export function planWarehouses(db: D1Database, shop: string, rows: ReadonlyArray<{ index: number; row: WarehouseRow }>): Plan {
  const stmt = db.prepare(
    `INSERT INTO warehouses (shop_id, code, name, country, lead_time_days) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (shop_id, code) DO UPDATE SET name = excluded.name, country = excluded.country, lead_time_days = excluded.lead_time_days
     WHERE (warehouses.name, warehouses.country, warehouses.lead_time_days) IS NOT (excluded.name, excluded.country, excluded.lead_time_days)`,
  );
  return {
    steps: rows.map(({ index, row }) => ({ row: index, stmt: stmt.bind(shop, row.code, row.name, row.country ?? null, row.leadTimeDays ?? null) })),
    rejected: [],
    touchedSkus: [],
  };
}
