import type { ProductRow } from "../contract";
import { chunkSteps, chunksOf } from "./chunks";
import { latestPerSku } from "./latest";
import type { Plan } from "./plan";
import { productSalesSteps } from "./product-sales";

const UPSERT_MANY = `
INSERT INTO products (shop_id, sku, name, gtin, cost, currency, backorder, safety_stock, version, updated_at, landed_cost, erp_id)
SELECT ?1, r.value ->> 0, r.value ->> 1, r.value ->> 2, r.value ->> 3, r.value ->> 4, r.value ->> 5, r.value ->> 6, r.value ->> 7, ?2, r.value ->> 8, r.value ->> 9
FROM json_each(?3) AS r WHERE true
ON CONFLICT (shop_id, sku) DO UPDATE SET name = excluded.name, gtin = excluded.gtin, cost = excluded.cost, landed_cost = excluded.landed_cost,
  currency = excluded.currency, backorder = excluded.backorder, safety_stock = excluded.safety_stock,
  version = excluded.version, updated_at = excluded.updated_at, erp_id = excluded.erp_id
WHERE excluded.version > products.version`;

// A product's aliases follow the row of the push that carries them only if that row's version is the
// one stored afterwards, i.e. not below the version stored before the push. These run before the
// upsert, so "before the push" is what they read. Each chunk row: [sku, version, aliases].
// Only what changes is written: an alias the row still names stays where it is, and one that already
// points at its SKU is not rewritten (re-sending unchanged aliases, the usual push, writes nothing).
const NOT_OUTRANKED = "NOT EXISTS (SELECT 1 FROM products p WHERE p.shop_id = ?1 AND p.sku = c.value ->> 0 AND p.version > c.value ->> 1)";
const NAMED = "SELECT c.value ->> 0, a.value FROM json_each(?2) AS c, json_each(c.value -> 2) AS a WHERE a.value <> c.value ->> 0";
const CLEAR_ALIASES = `DELETE FROM sku_aliases WHERE shop_id = ?1 AND sku IN (SELECT c.value ->> 0 FROM json_each(?2) AS c WHERE ${NOT_OUTRANKED})
  AND (sku, alias) NOT IN (${NAMED})`;
const ADD_ALIASES = `
INSERT INTO sku_aliases (shop_id, alias, sku)
SELECT ?1, a.value, c.value ->> 0 FROM json_each(?2) AS c, json_each(c.value -> 2) AS a
WHERE a.value <> c.value ->> 0 AND ${NOT_OUTRANKED}
ON CONFLICT (shop_id, alias) DO UPDATE SET sku = excluded.sku WHERE sku_aliases.sku IS NOT excluded.sku`;

export function planProducts(db: D1Database, shop: string, rows: ReadonlyArray<{ index: number; row: ProductRow }>, now: number): Plan {
  const upsert = db.prepare(UPSERT_MANY);
  const clear = db.prepare(CLEAR_ALIASES);
  const add = db.prepare(ADD_ALIASES);
  // Per SKU, the one row whose aliases end up stored: the last that carries aliases and is not below an earlier row's version.
  const carries = latestPerSku(rows, (row) => row.aliases !== undefined);
  const aliasChunks = chunksOf(rows.flatMap(({ index, row }, i) => (carries[i] ? [{ index, values: [row.sku, row.version, row.aliases] }] : [])));
  const aliasSteps = [...aliasChunks.map(({ json }) => ({ stmt: clear.bind(shop, json) })), ...aliasChunks.map(({ json }) => ({ stmt: add.bind(shop, json) }))];
  const productSteps = chunkSteps(
    rows.map(({ index, row }) => ({
      index,
      values: [
        row.sku,
        row.name,
        row.gtin ?? null,
        row.cost ?? null,
        row.currency ?? null,
        row.backorder ? 1 : 0,
        row.safetyStock ?? 0,
        row.version,
        row.landedCost ?? null,
        row.erpId ?? null,
      ],
    })),
    (json) => upsert.bind(shop, now, json),
  );
  // Issue 12: kits, sales units and quantity rules (ingest/product-sales.ts), before the upsert like the aliases.
  return { steps: [...aliasSteps, ...productSalesSteps(db, shop, rows), ...productSteps], rejected: [], touchedSkus: rows.map((r) => r.row.sku) };
}
