import type { StockRow } from "../contract";
import { type Plan, reject } from "./plan";

export async function planStock(db: D1Database, shop: string, rows: ReadonlyArray<{ index: number; row: StockRow }>, now: number): Promise<Plan> {
  const known = await db.prepare("SELECT code FROM warehouses WHERE shop_id = ?").bind(shop).raw<[string]>();
  const warehouses = new Set(known.map(([code]) => code));
  const upsert = db.prepare(
    `INSERT INTO stock (shop_id, sku, warehouse, on_hand, committed, incoming, version, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (shop_id, sku, warehouse) DO UPDATE SET on_hand = excluded.on_hand, committed = excluded.committed,
       incoming = excluded.incoming, version = excluded.version, updated_at = excluded.updated_at
     WHERE excluded.version > stock.version`,
  );
  const plan: Plan = { steps: [], rejected: [], touchedSkus: [] };
  const touched = new Set<string>();
  for (const { index, row } of rows) {
    if (!warehouses.has(row.warehouse)) {
      plan.rejected.push(reject(index, "unknown_warehouse", `Warehouse "${row.warehouse}" has not been pushed`));
      continue;
    }
    const incoming = JSON.stringify(row.incoming ?? []);
    plan.steps.push({ row: index, stmt: upsert.bind(shop, row.sku, row.warehouse, row.onHand, row.committed ?? 0, incoming, row.version, now) });
    touched.add(row.sku);
  }
  plan.touchedSkus = [...touched];
  return plan;
}
