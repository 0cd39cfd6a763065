import type { OdooRecord } from "./client";
import { m2o, num, text } from "./map";

/**
 * Odoo's pricelist price, computed as Odoo 16–18 compute it (`product.pricelist._compute_price_rule`
 * and `product.pricelist.item._is_applicable_for` / `_compute_price` / `_compute_base_price`):
 *
 * - a list's rules are tried in Odoo's own order (`_order = "applied_on, min_quantity desc,
 *   categ_id desc, id desc"`: variant, product, category, global; the highest quantity first; a
 *   category by its full name descending, so a sub-category before its parent; the newest rule
 *   first) and the first that applies wins: its minimum quantity reached, and the variant, the
 *   product, the category (or one of its parents) or everything it is for;
 * - no rule applies: the product's sales price (`lst_price`);
 * - fixed; percentage off the base; formula = base − discount % (Odoo 18: + markup % on the cost),
 *   rounded to `price_round`, plus the surcharge, kept within base + min/max margin; the base is
 *   the sales price, the cost, or the price on another list (followed recursively; a cycle, which
 *   Odoo itself cannot price, gives no price);
 * - every base price is converted into the list's currency (`_compute_base_price`): the sales
 *   price from the product's currency, the cost from its cost currency, another list's price from
 *   that list's currency, at Odoo's rate for today (`res.currency.rate`: the amount times the
 *   target's rate over the source's, unrounded); so a list in another currency prices even a
 *   product it has no rule for (its sales price, converted). Fixed prices, surcharges and margins
 *   are in the list's currency already.
 */

export type Applied = "0_product_variant" | "1_product" | "2_product_category" | "3_global";

export interface PriceRule {
  id: number;
  list: number;
  appliedOn: Applied;
  productId?: number;
  tmplId?: number;
  categId?: number;
  /** The rule's category full name ("All / Saleable"): Odoo orders category rules by it. */
  categName: string;
  minQty: number;
  compute: "fixed" | "percentage" | "formula";
  fixed: number;
  percent: number;
  base: "list_price" | "standard_price" | "pricelist";
  baseList?: number;
  discount: number;
  /** Odoo 18: `price_markup`, used instead of the discount when the base is the cost. */
  markup: number;
  surcharge: number;
  round: number;
  minMargin: number;
  maxMargin: number;
  dateStart?: string;
  dateEnd?: string;
}

export interface PricingProduct {
  id: number;
  sku: string;
  tmplId: number;
  /** The product's category and all its parents. */
  categories: ReadonlySet<number>;
  /** `lst_price`: the sales price with the variant's extra. */
  listPrice: number;
  /** `standard_price`: the cost. */
  cost: number;
  /** `currency_id` (of the sales price) and `cost_currency_id`: the company's, unless told otherwise. */
  currency?: number;
  costCurrency?: number;
}

/** Each list's currency and Odoo's rate for each currency today (relative to the company's: only ratios count). */
export interface Currencies {
  ofList: ReadonlyMap<number, number>;
  rate: ReadonlyMap<number, number>;
}

/** No list has a currency of its own: nothing is converted. */
export const ONE_CURRENCY: Currencies = { ofList: new Map(), rate: new Map() };

export class UnknownRate extends Error {}

/** Odoo's `res.currency._convert(amount, to, round=False)`: the amount × to's rate ÷ from's rate. */
function convert(amount: number, from: number | undefined, to: number | undefined, fx: Currencies): number {
  if (from === undefined || to === undefined || from === to) return amount;
  const a = fx.rate.get(from);
  const b = fx.rate.get(to);
  if (!a || !b) throw new UnknownRate(`No rate for currency ${a ? to : from}`);
  return (amount * b) / a;
}

const APPLIED: readonly Applied[] = ["0_product_variant", "1_product", "2_product_category", "3_global"];

/** A `product.pricelist.item` record as a rule; undefined for one without a list. */
export function ruleOf(r: OdooRecord, major: number): PriceRule | undefined {
  const list = m2o(r.pricelist_id)?.id;
  if (list === undefined) return undefined;
  const appliedOn = APPLIED.find((a) => a === r.applied_on) ?? "3_global";
  const compute = r.compute_price === "percentage" || r.compute_price === "formula" ? r.compute_price : "fixed";
  const base = r.base === "standard_price" || r.base === "pricelist" ? r.base : "list_price";
  const categ = m2o(r.categ_id);
  return {
    id: r.id,
    list,
    appliedOn,
    ...(m2o(r.product_id) ? { productId: m2o(r.product_id)?.id } : {}),
    ...(m2o(r.product_tmpl_id) ? { tmplId: m2o(r.product_tmpl_id)?.id } : {}),
    ...(categ ? { categId: categ.id } : {}),
    categName: categ?.name ?? "",
    minQty: num(r.min_quantity) ?? 0,
    compute,
    fixed: num(r.fixed_price) ?? 0,
    percent: num(r.percent_price) ?? 0,
    base,
    ...(m2o(r.base_pricelist_id) ? { baseList: m2o(r.base_pricelist_id)?.id } : {}),
    discount: num(r.price_discount) ?? 0,
    markup: major >= 18 ? (num(r.price_markup) ?? 0) : 0,
    surcharge: num(r.price_surcharge) ?? 0,
    round: num(r.price_round) ?? 0,
    minMargin: num(r.price_min_margin) ?? 0,
    maxMargin: num(r.price_max_margin) ?? 0,
    ...(text(r.date_start) ? { dateStart: text(r.date_start) } : {}),
    ...(text(r.date_end) ? { dateEnd: text(r.date_end) } : {}),
  };
}

/** Odoo's `_order` for pricelist items. */
export function odooOrder(a: PriceRule, b: PriceRule): number {
  if (a.appliedOn !== b.appliedOn) return a.appliedOn < b.appliedOn ? -1 : 1;
  if (a.minQty !== b.minQty) return b.minQty - a.minQty;
  if (a.categName !== b.categName) return a.categName < b.categName ? 1 : -1;
  return b.id - a.id;
}

/** The rules of each list, in Odoo's order, without those outside their dates at `now` ("YYYY-MM-DD HH:MM:SS", UTC). */
export function rulesByList(rules: readonly PriceRule[], now: string): Map<number, PriceRule[]> {
  const out = new Map<number, PriceRule[]>();
  for (const r of rules) {
    if ((r.dateStart && r.dateStart > now) || (r.dateEnd && r.dateEnd < now)) continue;
    out.set(r.list, [...(out.get(r.list) ?? []), r]);
  }
  for (const list of out.values()) list.sort(odooOrder);
  return out;
}

/** Whether the rule is for this product, whatever the quantity. */
const isFor = (r: PriceRule, p: PricingProduct): boolean =>
  r.appliedOn === "0_product_variant"
    ? r.productId === p.id
    : r.appliedOn === "1_product"
      ? r.tmplId === p.tmplId
      : r.appliedOn === "2_product_category"
        ? r.categId !== undefined && p.categories.has(r.categId)
        : true;

const roundTo = (value: number, step: number): number => Math.round(value / step) * step;

export class PriceCycle extends Error {}

type Lists = ReadonlyMap<number, readonly PriceRule[]>;

/**
 * The list's unit price of the product at `qty`, in the list's currency; throws PriceCycle when
 * lists are based on each other in a loop, UnknownRate when a currency has no rate.
 */
export function priceAt(lists: Lists, list: number, p: PricingProduct, qty: number, fx: Currencies = ONE_CURRENCY, seen: readonly number[] = []): number {
  if (seen.includes(list)) throw new PriceCycle(`Price lists ${[...seen, list].join(" → ")} are based on each other`);
  const currency = fx.ofList.get(list);
  const rule = (lists.get(list) ?? []).find((r) => !(r.minQty && qty < r.minQty) && isFor(r, p));
  if (!rule) return convert(p.listPrice, p.currency, currency, fx);
  if (rule.compute === "fixed") return rule.fixed;
  const base =
    rule.base === "pricelist" && rule.baseList !== undefined
      ? convert(priceAt(lists, rule.baseList, p, qty, fx, [...seen, list]), fx.ofList.get(rule.baseList), currency, fx)
      : rule.base === "standard_price"
        ? convert(p.cost, p.costCurrency ?? p.currency, currency, fx)
        : convert(p.listPrice, p.currency, currency, fx);
  if (rule.compute === "percentage") return base - base * (rule.percent / 100);
  const discount = rule.base === "standard_price" && rule.markup ? -rule.markup : rule.discount;
  let price = base - base * (discount / 100);
  if (rule.round) price = roundTo(price, rule.round);
  price += rule.surcharge;
  if (rule.minMargin) price = Math.max(price, base + rule.minMargin);
  if (rule.maxMargin) price = Math.min(price, base + rule.maxMargin);
  return price;
}

/** The lists `list` is based on, itself first, each once. */
function chain(lists: Lists, list: number): number[] {
  const out: number[] = [];
  const visit = (l: number) => {
    if (out.includes(l)) return;
    out.push(l);
    for (const r of lists.get(l) ?? []) if (r.base === "pricelist" && r.baseList !== undefined) visit(r.baseList);
  };
  visit(list);
  return out;
}

/**
 * The list's quantity breaks for one product: the price at 1 and at each minimum quantity of a
 * rule for this product on the list or a list it is based on, where the price changes. Empty when
 * no rule of the list is for the product and the list is in the product's currency: Odoo then sells
 * at the sales price; in another currency it sells at the sales price converted (one break).
 */
export function breaksOf(lists: Lists, list: number, p: PricingProduct, fx: Currencies = ONE_CURRENCY): Array<{ minQty: number; price: number }> {
  const related = chain(lists, list).flatMap((l) => (lists.get(l) ?? []).filter((r) => isFor(r, p)));
  const currency = fx.ofList.get(list);
  const converted = currency !== undefined && p.currency !== undefined && currency !== p.currency;
  if (!converted && !(lists.get(list) ?? []).some((r) => isFor(r, p))) return [];
  const qtys = [...new Set([1, ...related.map((r) => Math.max(1, Math.ceil(r.minQty)))])].sort((a, b) => a - b);
  const out: Array<{ minQty: number; price: number }> = [];
  for (const q of qtys) {
    const price = roundTo(priceAt(lists, list, p, q, fx), 0.01);
    if (out.at(-1)?.price !== price) out.push({ minQty: q, price });
  }
  return out;
}
