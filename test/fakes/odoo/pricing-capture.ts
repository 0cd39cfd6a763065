/// <reference types="vite/client" />
import type { OdooFake } from "./app";
import type { Rec } from "./domain";

/**
 * The live pricing captures (`odoo-captured/<major>/quirks/9*.json`, from
 * `test/conformance/odoo-capture-pricing.ts`) loaded into a fake: two lists (one based on the
 * other) with a rule of every type, a sub-category and a global rule, the products and categories
 * they price, and Odoo's own sale order price for each product at 1, 5 and 10. Ids are moved out
 * of the way of the fake's own records (lists +100, items +1000, products and templates +10000,
 * partners +10000); categories are Odoo's own.
 */

interface Capture {
  response: { result?: unknown };
}
const files = import.meta.glob<{ default: Capture }>("../../fixtures/erp/odoo-captured/*/quirks/9*.json", { eager: true });

/** The fake's company currency is USD with id 2 (as on the 16 server); 17 and 18 gave USD id 1: moved by name. */
const asFakeCurrency = (v: unknown): unknown => (Array.isArray(v) && v[1] === "USD" ? [2, "USD"] : v);

const captured = (version: number, prefix: string): Rec[] => {
  const entry = Object.entries(files).find(([path]) => path.includes(`/${version}/quirks/${prefix}`));
  const result = entry?.[1].default.response.result;
  if (!Array.isArray(result)) throw new Error(`no capture ${version}/quirks/${prefix}`);
  return result as Rec[];
};

const shift = (v: unknown, by: number): unknown => (Array.isArray(v) && typeof v[0] === "number" ? [v[0] + by, v[1]] : v);
const LIST = 100;
const ITEM = 1000;
const PRODUCT = 10_000;
const PARTNER = 10_000;

export interface PricingCapture {
  /** The customers' list at the fake. */
  list: string;
  /** Odoo's sale order unit price per SKU and quantity. */
  odoo: Array<{ sku: string; qty: number; price: number }>;
  /** The individual given that list, with no sale (customer_rank 0). */
  person: number;
}

/**
 * Loads captured lists, their rules and the priced products (capture files with these prefixes)
 * into the fake, ids moved by `by` (lists, items, products and templates), USD moved to the fake's id.
 */
function loadPricedCatalogue(
  fake: OdooFake,
  v: number,
  files: { lists: string; items: string; products: string },
  by: { list: number; item: number; product: number },
) {
  const table = (model: string) => fake.db.get(model) ?? fake.db.set(model, new Map()).get(model) ?? new Map<number, Rec>();
  const stamp = `${fake.now()}.500000`;
  for (const l of captured(v, files.lists))
    table("product.pricelist").set(l.id + by.list, { ...l, id: l.id + by.list, currency_id: asFakeCurrency(l.currency_id), write_date: stamp });
  for (const i of captured(v, files.items))
    table("product.pricelist.item").set(i.id + by.item, {
      ...i,
      id: i.id + by.item,
      pricelist_id: shift(i.pricelist_id, by.list),
      base_pricelist_id: shift(i.base_pricelist_id, by.list),
      product_id: shift(i.product_id, by.product),
      product_tmpl_id: shift(i.product_tmpl_id, by.product),
      write_date: stamp,
    });
  for (const p of captured(v, files.products)) {
    const id = p.id + by.product;
    const tmpl = shift(p.product_tmpl_id, by.product);
    table("product.product").set(id, {
      ...p,
      id,
      product_tmpl_id: tmpl,
      ...(p.currency_id ? { currency_id: asFakeCurrency(p.currency_id), cost_currency_id: asFakeCurrency(p.cost_currency_id) } : {}),
      barcode: false,
      active: true,
      ...(v >= 18 ? { type: "consu", is_storable: true } : { type: "product" }),
      write_date: stamp,
    });
    if (Array.isArray(tmpl) && typeof tmpl[0] === "number")
      table("product.template").set(tmpl[0], { id: tmpl[0], name: p.name, list_price: p.lst_price, categ_id: p.categ_id, active: true, write_date: stamp });
  }
}

export function loadPricingCapture(fake: OdooFake): PricingCapture {
  const v = fake.version === 19 ? 18 : fake.version;
  const table = (model: string) => fake.db.get(model) ?? fake.db.set(model, new Map()).get(model) ?? new Map<number, Rec>();
  const stamp = `${fake.now()}.500000`;
  for (const c of captured(v, "95_")) table("product.category").set(c.id, { ...c, write_date: stamp });
  loadPricedCatalogue(fake, v, { lists: "92_", items: "93_", products: "94_" }, { list: LIST, item: ITEM, product: PRODUCT });
  const [person] = captured(v, "97_");
  if (!person) throw new Error("no individual captured");
  const personId = person.id + PARTNER;
  table("res.partner").set(personId, {
    ...person,
    id: personId,
    email: false,
    commercial_company_name: person.name,
    property_product_pricelist: shift(person.property_product_pricelist, LIST),
    credit_limit: 0,
    property_payment_term_id: false,
    ...(v >= 18 ? { specific_property_product_pricelist: shift(person.property_product_pricelist, LIST) } : {}),
    write_date: stamp,
  });
  // 16/17 keep a partner's own list as an ir.property (98_: "res.partner,<id>" → "product.pricelist,<id>").
  if (v < 18) {
    const list = Array.isArray(person.property_product_pricelist) ? Number(person.property_product_pricelist[0]) : 0;
    table("ir.property").set(1, {
      id: 1,
      name: "property_product_pricelist",
      res_id: `res.partner,${personId}`,
      value_reference: `product.pricelist,${list + LIST}`,
      write_date: stamp,
    });
  }
  const list = Array.isArray(person.property_product_pricelist) ? String(Number(person.property_product_pricelist[0]) + LIST) : "";
  const odoo = captured(v, "96_").map((l) => ({
    sku: /^\[([^\]]+)\]/.exec(Array.isArray(l.product_id) ? String(l.product_id[1]) : "")?.[1] ?? "",
    qty: Number(l.product_uom_qty),
    price: Number(l.price_unit),
  }));
  return { list, odoo, person: personId };
}

export interface CurrencyCapture {
  /** The EUR list and the USD list based on it, at the fake. */
  eurList: string;
  usdOnEurList: string;
  /** Odoo's sale order unit price per list and SKU (quantity 1). */
  odoo: Array<{ list: string; sku: string; price: number }>;
}

/**
 * The live currency captures (`9fx1`–`9fx6`, from `test/conformance/odoo-capture-currency.ts`)
 * loaded into a fake: EUR active with its rate records (today's 0.92 for the company), a USD base
 * list, an EUR list with rules of every base, a USD list based on the EUR list, the five products,
 * and Odoo's own sale prices on both lists. Ids move as in `loadPricingCapture`, one step further
 * (lists +200, items +2000, products and templates +20000).
 */
export function loadCurrencyCapture(fake: OdooFake): CurrencyCapture {
  const v = fake.version === 19 ? 18 : fake.version;
  const table = (model: string) => fake.db.get(model) ?? fake.db.set(model, new Map()).get(model) ?? new Map<number, Rec>();
  const stamp = `${fake.now()}.500000`;
  const [L, P] = [200, 20_000];
  for (const c of captured(v, "9fx1_")) if (c.name !== "USD") table("res.currency").set(c.id, { ...c, write_date: stamp });
  // Rates the capture dated on its own day are moved to the fake's today (its clock runs earlier).
  const today = fake.now().slice(0, 10);
  for (const r of captured(v, "9fx2_"))
    table("res.currency.rate").set(r.id, {
      ...r,
      currency_id: asFakeCurrency(r.currency_id),
      name: String(r.name) > today ? today : r.name,
      write_date: stamp,
    });
  loadPricedCatalogue(fake, v, { lists: "9fx3_", items: "9fx4_", products: "9fx5_" }, { list: L, item: 2000, product: P });
  const lists = captured(v, "9fx3_");
  const listOf = (name: string) => String((lists.find((l) => String(l.name).endsWith(name))?.id ?? 0) + L);
  const odoo = captured(v, "9fx6_").map((l) => ({
    list: Array.isArray(l.currency_id) && l.currency_id[1] === "EUR" ? listOf("fx EUR customers") : listOf("fx USD on EUR"),
    sku: /^\[([^\]]+)\]/.exec(Array.isArray(l.product_id) ? String(l.product_id[1]) : "")?.[1] ?? "",
    price: Number(l.price_unit),
  }));
  return { eurList: listOf("fx EUR customers"), usdOnEurList: listOf("fx USD on EUR"), odoo };
}
