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

export function loadPricingCapture(fake: OdooFake): PricingCapture {
  const v = fake.version === 19 ? 18 : fake.version;
  const table = (model: string) => fake.db.get(model) ?? fake.db.set(model, new Map()).get(model) ?? new Map<number, Rec>();
  const stamp = `${fake.now()}.500000`;
  for (const c of captured(v, "95_")) table("product.category").set(c.id, { ...c, write_date: stamp });
  for (const l of captured(v, "92_")) table("product.pricelist").set(l.id + LIST, { ...l, id: l.id + LIST, write_date: stamp });
  for (const i of captured(v, "93_"))
    table("product.pricelist.item").set(i.id + ITEM, {
      ...i,
      id: i.id + ITEM,
      pricelist_id: shift(i.pricelist_id, LIST),
      base_pricelist_id: shift(i.base_pricelist_id, LIST),
      product_id: shift(i.product_id, PRODUCT),
      product_tmpl_id: shift(i.product_tmpl_id, PRODUCT),
      write_date: stamp,
    });
  for (const p of captured(v, "94_")) {
    const id = p.id + PRODUCT;
    const tmpl = shift(p.product_tmpl_id, PRODUCT);
    table("product.product").set(id, {
      ...p,
      id,
      product_tmpl_id: tmpl,
      barcode: false,
      active: true,
      ...(v >= 18 ? { type: "consu", is_storable: true } : { type: "product" }),
      write_date: stamp,
    });
    if (Array.isArray(tmpl) && typeof tmpl[0] === "number")
      table("product.template").set(tmpl[0], { id: tmpl[0], name: p.name, list_price: p.lst_price, categ_id: p.categ_id, active: true, write_date: stamp });
  }
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
