import type { PriceListRow, PriceRow } from "../contract";
import { textColumn } from "../db/columns";
import { type ChunkRow, chunkSteps } from "./chunks";
import { type Plan, reject } from "./plan";

const UPSERT_LISTS = `
INSERT INTO price_lists (shop_id, id, name, currency)
SELECT ?1, r.value ->> 0, r.value ->> 1, r.value ->> 2 FROM json_each(?2) AS r WHERE true
ON CONFLICT (shop_id, id) DO UPDATE SET name = excluded.name, currency = excluded.currency
WHERE (price_lists.name, price_lists.currency) IS NOT (excluded.name, excluded.currency)`;

const UPSERT_PRICES = `
INSERT INTO prices (shop_id, list, sku, min_qty, unit_price, version)
SELECT ?1, r.value ->> 0, r.value ->> 1, r.value ->> 2, r.value ->> 3, r.value ->> 4 FROM json_each(?2) AS r WHERE true
ON CONFLICT (shop_id, list, sku, min_qty) DO UPDATE SET unit_price = excluded.unit_price, version = excluded.version
WHERE excluded.version > prices.version`;

export async function planPrices(
  db: D1Database,
  shop: string,
  lists: ReadonlyArray<{ index: number; row: PriceListRow }>,
  prices: ReadonlyArray<{ index: number; row: PriceRow }>,
): Promise<Plan> {
  const known = await textColumn(db.prepare("SELECT id FROM price_lists WHERE shop_id = ?").bind(shop));
  const listIds = new Set([...known, ...lists.map((l) => l.row.id)]);
  const upsertLists = db.prepare(UPSERT_LISTS);
  const upsertPrices = db.prepare(UPSERT_PRICES);
  const rejected = [];
  const accepted: ChunkRow[] = [];
  for (const { index, row } of prices) {
    if (!listIds.has(row.list)) {
      rejected.push(reject(index, "unknown_price_list", `Price list "${row.list}" has not been pushed`));
      continue;
    }
    accepted.push({ index, values: [row.list, row.sku, row.minQty, row.unitPrice, row.version] });
  }
  return {
    steps: [
      ...chunkSteps(
        lists.map(({ index, row }) => ({ index, values: [row.id, row.name, row.currency] })),
        (json) => upsertLists.bind(shop, json),
      ),
      ...chunkSteps(accepted, (json) => upsertPrices.bind(shop, json)),
    ],
    rejected,
    touchedSkus: [],
  };
}
