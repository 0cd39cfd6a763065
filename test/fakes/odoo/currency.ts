import type { Rec } from "./domain";
import type { Db } from "./seed";

const idOf = (v: unknown): number | undefined => (Array.isArray(v) && typeof v[0] === "number" ? v[0] : typeof v === "number" ? v : undefined);

/**
 * `res.currency.rate` as Odoo 16–18 compute it (`res.currency._get_rates` / `_compute_current_rate`):
 * a currency's rate on `date` is its newest `res.currency.rate` dated on or before it, the main
 * company's own rate before a global one however newer (`ORDER BY company_id, name DESC`), else 1.0;
 * read relative to the company's currency (live capture 9fx1: EUR 0.92 beside USD 1).
 */
export function currencyRate(db: Db, currency: number, date: string): number {
  const company = db.get("res.company")?.get(1);
  const raw = (id: number | undefined): number => {
    const rates = [...(db.get("res.currency.rate")?.values() ?? [])].filter(
      (r: Rec) => idOf(r.currency_id) === id && String(r.name) <= date && (idOf(r.company_id) === undefined || idOf(r.company_id) === company?.id),
    );
    rates.sort((a, b) =>
      (idOf(a.company_id) === undefined) !== (idOf(b.company_id) === undefined)
        ? idOf(a.company_id) === undefined
          ? 1
          : -1
        : String(b.name).localeCompare(String(a.name)),
    );
    return Number(rates[0]?.rate ?? 1) || 1;
  };
  return raw(currency) / raw(idOf(company?.currency_id));
}
