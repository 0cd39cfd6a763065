import type { PulledRow } from "../apply";
import type { RecordError } from "../runs";
import { perSalesUnit } from "../sales-prices";
import type { OdooClient, OdooRecord } from "./client";
import { m2o, num, PUBLIC_LIST, text } from "./map";
import { breaksOf, type Currencies, PriceCycle, type PriceRule, type PricingProduct, ruleOf, rulesByList, UnknownRate } from "./pricing";
import { salesPackagings } from "./units";

/**
 * Price rows for a set of products, from Odoo's pricelist rules (see `pricing.ts`): per list, per
 * product, per quantity break, and the public list (the sales price, `PUBLIC_LIST`). Every list with a rule for the product is computed, so a changed
 * rule, product, category or base list is followed by re-reading the products it concerns.
 */

const ITEM_FIELDS = [
  "pricelist_id",
  "applied_on",
  "product_tmpl_id",
  "product_id",
  "categ_id",
  "compute_price",
  "fixed_price",
  "percent_price",
  "base",
  "base_pricelist_id",
  "price_discount",
  "price_surcharge",
  "price_round",
  "price_min_margin",
  "price_max_margin",
  "min_quantity",
  "date_start",
  "date_end",
];
const PRODUCT_FIELDS = ["default_code", "product_tmpl_id", "categ_id", "lst_price", "standard_price", "currency_id", "cost_currency_id"];

export const itemFields = (major: number): string[] => (major >= 18 ? [...ITEM_FIELDS, "price_markup"] : ITEM_FIELDS);

const money = (v: number): string => String(Math.round(v * 1e6) / 1e6);
const odooNow = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace("T", " ");

/** Each category with its parents (by `parent_id`), read once per run. */
export async function categoryParents(client: OdooClient): Promise<Map<number, number[]>> {
  const cats = await client.searchRead("product.category", [], { fields: ["parent_id"] });
  const parent = new Map(cats.map((c) => [c.id, m2o(c.parent_id)?.id]));
  const out = new Map<number, number[]>();
  for (const c of cats) {
    const line: number[] = [];
    for (let id: number | undefined = c.id; id !== undefined && !line.includes(id); id = parent.get(id)) line.push(id);
    out.set(c.id, line);
  }
  return out;
}

/** Categories under `roots` (themselves included). */
export function descendants(parents: ReadonlyMap<number, readonly number[]>, roots: readonly number[]): number[] {
  return [...parents].filter(([, line]) => line.some((c) => roots.includes(c))).map(([id]) => id);
}

/**
 * Each list's currency and Odoo's rate for today of every currency a list or a product uses, read
 * once per run (`res.currency.rate` is Odoo's computed rate: relative to the company's currency,
 * the company's own rate preferred). A changed rate re-prices everything (see the prices stream).
 */
export async function currenciesOf(client: OdooClient): Promise<Currencies> {
  const lists = await client.searchRead("product.pricelist", [], { fields: ["currency_id"] });
  const ofList = new Map(lists.flatMap((l) => (m2o(l.currency_id) ? [[l.id, m2o(l.currency_id)?.id ?? 0] as const] : [])));
  const company = m2o((await client.searchRead("res.company", [], { fields: ["currency_id"], limit: 1, order: "id asc" }))[0]?.currency_id)?.id;
  const ids = [...new Set([...ofList.values(), ...(company === undefined ? [] : [company])])];
  if (ids.length < 2) return { ofList, rate: new Map() };
  const rates = await client.searchRead("res.currency", [["id", "in", ids]], { fields: ["rate"] });
  return { ofList, rate: new Map(rates.flatMap((r) => (num(r.rate) ? [[r.id, num(r.rate) ?? 1] as const] : []))) };
}

export interface PriceContext {
  client: OdooClient;
  major: number;
  parents: Map<number, number[]>;
  currencies: Currencies;
}

/** The price rows of the given products on every list with a rule for them, and the public list. */
export async function priceRowsOf(ctx: PriceContext, productIds: readonly number[], readAt: number): Promise<{ rows: PulledRow[]; errors: RecordError[] }> {
  const rows: PulledRow[] = [];
  const errors: RecordError[] = [];
  if (productIds.length === 0) return { rows, errors };
  const products: PricingProduct[] = (await ctx.client.read("product.product", [...productIds], PRODUCT_FIELDS)).flatMap((p: OdooRecord) => {
    const sku = text(p.default_code);
    const categ = m2o(p.categ_id)?.id;
    if (!sku) return [];
    return [
      {
        id: p.id,
        sku,
        tmplId: m2o(p.product_tmpl_id)?.id ?? -1,
        categories: new Set(categ === undefined ? [] : (ctx.parents.get(categ) ?? [categ])),
        listPrice: num(p.lst_price) ?? 0,
        cost: num(p.standard_price) ?? 0,
        ...(m2o(p.currency_id) ? { currency: m2o(p.currency_id)?.id } : {}),
        ...(m2o(p.cost_currency_id) ? { costCurrency: m2o(p.cost_currency_id)?.id } : {}),
      },
    ];
  });
  if (products.length === 0) return { rows, errors };
  const cats = [...new Set(products.flatMap((p) => [...p.categories]))];
  // Odoo's `_get_applicable_rules_domain`, for every list at once (a rule's base list is among them).
  const items = await ctx.client.searchRead(
    "product.pricelist.item",
    [
      "|",
      ["categ_id", "=", false],
      ["categ_id", "in", cats],
      "|",
      ["product_tmpl_id", "=", false],
      ["product_tmpl_id", "in", [...new Set(products.map((p) => p.tmplId))]],
      "|",
      ["product_id", "=", false],
      ["product_id", "in", products.map((p) => p.id)],
    ],
    { fields: itemFields(ctx.major) },
  );
  const lists = rulesByList(
    items.map((i) => ruleOf(i, ctx.major)).filter((r): r is PriceRule => r !== undefined),
    // Rule dates as Odoo sees them: at its own clock.
    odooNow(ctx.client.serverTime()),
  );
  const fx = ctx.currencies;
  // Issue 12: a product sold in cases (a sales packaging) is priced per case, its breaks in cases (`sales-prices.ts`).
  const units = await salesPackagings(
    ctx.client,
    products.map((p) => p.id),
  );
  for (const p of products) {
    const factor = units.get(p.id)?.factor;
    const inSalesUnit = (breaks: Array<{ minQty: number; price: string }>) => (factor ? perSalesUnit(breaks, factor) : breaks);
    for (const b of inSalesUnit([{ minQty: 1, price: money(p.listPrice) }]))
      rows.push({ ref: `product.product/${p.id}`, row: { list: PUBLIC_LIST, sku: p.sku, minQty: b.minQty, unitPrice: b.price, version: readAt } });
    // The lists with a rule for it, and every list in another currency (its converted sales price).
    const foreign = [...fx.ofList].filter(([, c]) => p.currency !== undefined && c !== p.currency).map(([l]) => l);
    for (const list of new Set([...lists.keys(), ...foreign])) {
      try {
        for (const b of inSalesUnit(breaksOf(lists, list, p, fx).map((x) => ({ minQty: x.minQty, price: money(x.price) }))))
          rows.push({
            ref: `product.pricelist/${list}`,
            row: { list: String(list), sku: p.sku, minQty: b.minQty, unitPrice: b.price, version: readAt },
          });
      } catch (e) {
        if (!(e instanceof PriceCycle || e instanceof UnknownRate)) throw e;
        const code = e instanceof PriceCycle ? "price_rule_cycle" : "price_currency_rate";
        errors.push({ resource: "prices", record: `product.pricelist/${list}`, code, message: `${p.sku}: ${e.message}` });
      }
    }
  }
  return { rows, errors };
}

/**
 * The products a page of changed pricelist items concerns: their variants and products, the
 * products in their categories; `all` when one is a global rule.
 */
export function itemTargets(items: readonly OdooRecord[], parents: ReadonlyMap<number, readonly number[]>): { all: boolean; domain: unknown[] } {
  const variants = new Set<number>();
  const templates = new Set<number>();
  const categories = new Set<number>();
  for (const i of items) {
    if (i.applied_on === "0_product_variant") {
      const id = m2o(i.product_id)?.id;
      if (id !== undefined) variants.add(id);
    } else if (i.applied_on === "1_product") {
      const id = m2o(i.product_tmpl_id)?.id;
      if (id !== undefined) templates.add(id);
    } else if (i.applied_on === "2_product_category") {
      const id = m2o(i.categ_id)?.id;
      if (id !== undefined) categories.add(id);
    } else return { all: true, domain: [] };
  }
  return {
    all: false,
    domain: ["|", "|", ["id", "in", [...variants]], ["product_tmpl_id", "in", [...templates]], ["categ_id", "in", descendants(parents, [...categories])]],
  };
}
