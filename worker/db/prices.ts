import { z } from "zod";
import { poolOf } from "./channels";
import { resolveSkusCte } from "./sku-resolution";

const CustomerRow = z.object({
  id: z.string(),
  company: z.string(),
  price_list: z.string(),
  payment_terms: z.string().nullable(),
  credit_limit: z.string().nullable(),
  balance: z.string().nullable(),
  currency: z.string().nullable(),
});

export interface Customer {
  id: string;
  company: string;
  priceList: string;
  currency: string | undefined;
  paymentTerms: string | undefined;
  creditLimit: string | undefined;
  balance: string | undefined;
}

export async function getCustomer(db: D1Database, shop: string, id: string): Promise<Customer | undefined> {
  const raw = await db
    .prepare(
      `SELECT c.id, c.company, c.price_list, c.payment_terms, c.credit_limit, c.balance, l.currency
       FROM customers c LEFT JOIN price_lists l ON l.shop_id = c.shop_id AND l.id = c.price_list
       WHERE c.shop_id = ? AND c.id = ?`,
    )
    .bind(shop, id)
    .first();
  if (!raw) return undefined;
  const r = CustomerRow.parse(raw);
  return {
    id: r.id,
    company: r.company,
    priceList: r.price_list,
    currency: r.currency ?? undefined,
    paymentTerms: r.payment_terms ?? undefined,
    creditLimit: r.credit_limit ?? undefined,
    balance: r.balance ?? undefined,
  };
}

const PriceRow = z.object({ asked: z.string(), min_qty: z.number(), unit_price: z.string(), unit: z.string().nullable() });

/**
 * One list's quantity breaks for the asked SKUs (aliases and GTINs resolve), lowest quantity first,
 * with the sales unit they are in (issue 12: a price row is per sales unit; `unit` undefined: the stock unit).
 */
export async function loadListPrices(
  db: D1Database,
  shop: string,
  list: string,
  skus: readonly string[],
): Promise<Map<string, { unit: string | undefined; breaks: Array<{ minQty: number; unitPrice: string }> }>> {
  const { results } = await db
    .prepare(
      `WITH ${resolveSkusCte(`(${poolOf("?1")})`, "?3")}
       SELECT c.asked, p.min_qty, p.unit_price, ps.unit FROM canon c
       JOIN prices p ON p.shop_id = ?1 AND p.list = ?2 AND p.sku = c.sku
       LEFT JOIN product_sales ps ON ps.shop_id = ${poolOf("?1")} AND ps.sku = c.sku
       ORDER BY c.asked, p.min_qty`,
    )
    .bind(shop, list, JSON.stringify(skus))
    .all();
  const out = new Map<string, { unit: string | undefined; breaks: Array<{ minQty: number; unitPrice: string }> }>();
  for (const raw of results) {
    const r = PriceRow.parse(raw);
    const entry = out.get(r.asked) ?? { unit: r.unit ?? undefined, breaks: [] };
    entry.breaks.push({ minQty: r.min_qty, unitPrice: r.unit_price });
    out.set(r.asked, entry);
  }
  return out;
}
