import type { CustomerRow } from "../contract";
import { textColumn } from "../db/columns";
import { type Plan, reject } from "./plan";

export async function planCustomers(db: D1Database, shop: string, rows: ReadonlyArray<{ index: number; row: CustomerRow }>): Promise<Plan> {
  const listIds = new Set(await textColumn(db.prepare("SELECT id FROM price_lists WHERE shop_id = ?").bind(shop)));
  const upsert = db.prepare(
    `INSERT INTO customers (shop_id, id, email, company, price_list, payment_terms, credit_limit, balance, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (shop_id, id) DO UPDATE SET email = excluded.email, company = excluded.company, price_list = excluded.price_list,
       payment_terms = excluded.payment_terms, credit_limit = excluded.credit_limit, balance = excluded.balance, version = excluded.version
     WHERE excluded.version > customers.version`,
  );
  const plan: Plan = { steps: [], rejected: [], touchedSkus: [] };
  for (const { index, row } of rows) {
    if (!listIds.has(row.priceList)) {
      plan.rejected.push(reject(index, "unknown_price_list", `Price list "${row.priceList}" has not been pushed`));
      continue;
    }
    plan.steps.push({
      row: index,
      stmt: upsert.bind(
        shop,
        row.id,
        row.email?.toLowerCase() ?? null,
        row.company,
        row.priceList,
        row.paymentTerms ?? null,
        row.creditLimit ?? null,
        row.balance ?? null,
        row.version,
      ),
    });
  }
  return plan;
}
