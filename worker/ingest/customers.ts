import type { CustomerRow } from "../contract";
import { textColumn } from "../db/columns";
import { type ChunkRow, chunkSteps } from "./chunks";
import { type Plan, reject } from "./plan";

const UPSERT_MANY = `
INSERT INTO customers (shop_id, id, email, company, price_list, payment_terms, credit_limit, balance, version, vat_id, address)
SELECT ?1, r.value ->> 0, r.value ->> 1, r.value ->> 2, r.value ->> 3, r.value ->> 4, r.value ->> 5, r.value ->> 6, r.value ->> 7, r.value ->> 8, r.value ->> 9
FROM json_each(?2) AS r WHERE true
ON CONFLICT (shop_id, id) DO UPDATE SET email = excluded.email, company = excluded.company, price_list = excluded.price_list,
  payment_terms = excluded.payment_terms, credit_limit = excluded.credit_limit, balance = excluded.balance, version = excluded.version,
  vat_id = excluded.vat_id, address = excluded.address
WHERE excluded.version > customers.version`;

export async function planCustomers(db: D1Database, shop: string, rows: ReadonlyArray<{ index: number; row: CustomerRow }>): Promise<Plan> {
  const listIds = new Set(await textColumn(db.prepare("SELECT id FROM price_lists WHERE shop_id = ?").bind(shop)));
  const upsert = db.prepare(UPSERT_MANY);
  const rejected = [];
  const accepted: ChunkRow[] = [];
  for (const { index, row } of rows) {
    if (!listIds.has(row.priceList)) {
      rejected.push(reject(index, "unknown_price_list", `Price list "${row.priceList}" has not been pushed`));
      continue;
    }
    accepted.push({
      index,
      values: [
        row.id,
        row.email?.toLowerCase() ?? null,
        row.company,
        row.priceList,
        row.paymentTerms ?? null,
        row.creditLimit ?? null,
        row.balance ?? null,
        row.version,
        row.vatId ?? null,
        row.address ?? null,
      ],
    });
  }
  return { steps: chunkSteps(accepted, (json) => upsert.bind(shop, json)), rejected, touchedSkus: [] };
}
