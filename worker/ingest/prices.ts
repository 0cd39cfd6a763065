import type { PriceListRow, PriceRow } from "../contract";
import { textColumn } from "../db/columns";
import { type Plan, reject } from "./plan";

export async function planPrices(
  db: D1Database,
  shop: string,
  lists: ReadonlyArray<{ index: number; row: PriceListRow }>,
  prices: ReadonlyArray<{ index: number; row: PriceRow }>,
): Promise<Plan> {
  const known = await textColumn(db.prepare("SELECT id FROM price_lists WHERE shop_id = ?").bind(shop));
  const listIds = new Set([...known, ...lists.map((l) => l.row.id)]);
  const upsertList = db.prepare(
    "INSERT INTO price_lists (shop_id, id, name, currency) VALUES (?, ?, ?, ?) ON CONFLICT (shop_id, id) DO UPDATE SET name = excluded.name, currency = excluded.currency WHERE (price_lists.name, price_lists.currency) IS NOT (excluded.name, excluded.currency)",
  );
  const upsertPrice = db.prepare(
    `INSERT INTO prices (shop_id, list, sku, min_qty, unit_price, version) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (shop_id, list, sku, min_qty) DO UPDATE SET unit_price = excluded.unit_price, version = excluded.version
     WHERE excluded.version > prices.version`,
  );
  const plan: Plan = { steps: [], rejected: [], touchedSkus: [] };
  for (const { index, row } of lists) plan.steps.push({ row: index, stmt: upsertList.bind(shop, row.id, row.name, row.currency) });
  for (const { index, row } of prices) {
    if (!listIds.has(row.list)) {
      plan.rejected.push(reject(index, "unknown_price_list", `Price list "${row.list}" has not been pushed`));
      continue;
    }
    plan.steps.push({ row: index, stmt: upsertPrice.bind(shop, row.list, row.sku, row.minQty, row.unitPrice, row.version) });
  }
  return plan;
}
