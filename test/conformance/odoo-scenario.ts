import { idList, m2oId, numberOf, type OdooRpc, type Rec } from "./odoo-rpc.ts";

/**
 * What the conformance suite and the capture script do to a real Odoo (16–18) to reproduce the
 * quirks the fakes must know: records made here are named `CONF-…` so a run is easy to spot in
 * Odoo, and a fresh copy of the pristine database undoes them.
 */

/** The pricelist item fields the capture scripts record: every field the connector prices with (18 adds the markup). */
export const capturedItemFields = (major: number): string[] => [
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
  ...(major >= 18 ? ["price_markup"] : []),
  "write_date",
];

/** Odoo 18 marks storable products `is_storable`; 16 and 17 use `detailed_type = product`. */
export const storable = (major: number): Record<string, unknown> => (major >= 18 ? { type: "consu", is_storable: true } : { detailed_type: "product" });

/** The record id of an XML id, e.g. `stock.warehouse0`. */
export async function xmlId(rpc: OdooRpc, module: string, name: string): Promise<number> {
  const [r] = await rpc.searchRead(
    "ir.model.data",
    [
      ["module", "=", module],
      ["name", "=", name],
    ],
    ["res_id"],
  );
  if (!r) throw new Error(`no xml id ${module}.${name}`);
  return numberOf(r.res_id);
}

/** The main warehouse's stock location (WH/Stock). */
export async function stockLocation(rpc: OdooRpc): Promise<{ warehouse: string; location: number }> {
  const [wh] = await rpc.searchRead("stock.warehouse", [], ["code", "lot_stock_id"], { order: "id", limit: 1 });
  const location = m2oId(wh?.lot_stock_id);
  if (!wh || location === undefined) throw new Error("Odoo has no warehouse");
  return { warehouse: String(wh.code), location };
}

/** Sets a product's on-hand quantity in a location the way the Physical Inventory view does. */
export async function setOnHand(rpc: OdooRpc, productId: number, location: number, qty: number): Promise<number> {
  const ctx = { inventory_mode: true };
  const [existing] = await rpc.searchRead(
    "stock.quant",
    [
      ["product_id", "=", productId],
      ["location_id", "=", location],
    ],
    ["id"],
  );
  const id = existing?.id ?? (await rpc.create("stock.quant", { product_id: productId, location_id: location, inventory_quantity: qty }, ctx));
  if (existing) await rpc.kw("stock.quant", "write", [[id], { inventory_quantity: qty }], { context: ctx });
  await rpc.act("stock.quant", "action_apply_inventory", [id], ctx);
  return id;
}

/** Opening Inventory > Physical Inventory runs Odoo's quant tasks: zero quants are deleted. */
export async function openPhysicalInventory(rpc: OdooRpc): Promise<void> {
  await rpc.kw("stock.quant", "action_view_inventory", []);
}

export interface PriceCase {
  name: string;
  sku: string;
  qty: number;
  /** What the rule says, for the table. */
  rule: string;
}

export interface PriceFixture {
  pricelistId: number;
  partnerId: number;
  partnerEmail: string;
  products: Map<string, number>;
  cases: PriceCase[];
}

/** A product template's rule: 10 % off the sales price. */
const tenPercentOff = (template: number) => ({ applied_on: "1_product", product_tmpl_id: template, compute_price: "percentage", percent_price: 10 });

/** A product template's rule: the sales price − 12.5 %, rounded to 1, + 1.99. */
const formulaOnSalesPrice = (template: number) => ({
  applied_on: "1_product",
  product_tmpl_id: template,
  compute_price: "formula",
  base: "list_price",
  price_discount: 12.5,
  price_round: 1,
  price_surcharge: 1.99,
});

/**
 * A customer price list with a rule of every type on five new products (list prices 100…500, one
 * category): fixed (with a quantity break), percentage, formula (discount + rounding + surcharge),
 * based on another list, and a category rule; and a company customer on that list.
 */
export async function makePriceFixture(rpc: OdooRpc, major: number, tag: string): Promise<PriceFixture> {
  const categ = await rpc.create("product.category", { name: `CONF-${tag} category` });
  const products = new Map<string, number>();
  const listPrices: Record<string, number> = { A: 100, B: 200, C: 300, D: 400, E: 500 };
  for (const [k, price] of Object.entries(listPrices)) {
    const sku = `CONF-${tag}-PRICE-${k}`;
    products.set(
      sku,
      await rpc.create("product.product", { name: `CONF ${tag} price ${k}`, default_code: sku, list_price: price, categ_id: categ, ...storable(major) }),
    );
  }
  const tmpl = async (sku: string): Promise<number> => {
    const [p] = await rpc.read("product.product", [products.get(sku) ?? 0], ["product_tmpl_id"]);
    return m2oId(p?.product_tmpl_id) ?? 0;
  };
  const other = await rpc.create("product.pricelist", {
    name: `CONF-${tag} base list`,
    item_ids: [[0, 0, { applied_on: "0_product_variant", product_id: products.get(`CONF-${tag}-PRICE-D`), compute_price: "fixed", fixed_price: 380 }]],
  });
  const items: Array<Record<string, unknown>> = [
    { applied_on: "0_product_variant", product_id: products.get(`CONF-${tag}-PRICE-A`), compute_price: "fixed", fixed_price: 87.5 },
    { applied_on: "0_product_variant", product_id: products.get(`CONF-${tag}-PRICE-A`), compute_price: "fixed", fixed_price: 80, min_quantity: 10 },
    tenPercentOff(await tmpl(`CONF-${tag}-PRICE-B`)),
    formulaOnSalesPrice(await tmpl(`CONF-${tag}-PRICE-C`)),
    {
      applied_on: "0_product_variant",
      product_id: products.get(`CONF-${tag}-PRICE-D`),
      compute_price: "formula",
      base: "pricelist",
      base_pricelist_id: other,
      price_discount: 5,
    },
    { applied_on: "2_product_category", categ_id: categ, compute_price: "percentage", percent_price: 15 },
  ];
  const pricelistId = await rpc.create("product.pricelist", { name: `CONF-${tag} customers`, item_ids: items.map((v) => [0, 0, v]) });
  const partnerEmail = `conf-${tag.toLowerCase()}@example.com`;
  const partnerId = await rpc.create("res.partner", {
    name: `CONF ${tag} Customer GmbH`,
    is_company: true,
    email: partnerEmail,
    property_product_pricelist: pricelistId,
  });
  const cases: PriceCase[] = [
    { name: "fixed", sku: `CONF-${tag}-PRICE-A`, qty: 1, rule: "fixed 87.50" },
    { name: "fixed, quantity break", sku: `CONF-${tag}-PRICE-A`, qty: 10, rule: "fixed 80.00 from 10" },
    { name: "percentage", sku: `CONF-${tag}-PRICE-B`, qty: 1, rule: "200 − 10 %" },
    { name: "formula", sku: `CONF-${tag}-PRICE-C`, qty: 1, rule: "300 − 12.5 %, round 1, + 1.99" },
    { name: "other list", sku: `CONF-${tag}-PRICE-D`, qty: 1, rule: "(other list 380) − 5 %" },
    { name: "category", sku: `CONF-${tag}-PRICE-E`, qty: 1, rule: "category − 15 % of 500" },
  ];
  return { pricelistId, partnerId, partnerEmail, products, cases };
}

/** Odoo's own unit price per case: a quotation for the customer with one line per case, as Odoo prices it. */
export async function odooSalePrices(rpc: OdooRpc, fx: PriceFixture, ref: string): Promise<{ orderId: number; lines: Rec[]; unit: Map<string, number> }> {
  const orderId = await rpc.create("sale.order", {
    partner_id: fx.partnerId,
    client_order_ref: ref,
    order_line: fx.cases.map((c) => [0, 0, { product_id: fx.products.get(c.sku), product_uom_qty: c.qty }]),
  });
  const [order] = await rpc.read("sale.order", [orderId], ["pricelist_id", "order_line"]);
  const lines = await rpc.read("sale.order.line", idList(order?.order_line), ["product_id", "product_uom_qty", "price_unit", "discount", "price_subtotal"]);
  const unit = new Map<string, number>();
  fx.cases.forEach((c, i) => {
    const l = lines[i];
    unit.set(`${c.sku}×${c.qty}`, Math.round((numberOf(l?.price_subtotal) / numberOf(l?.product_uom_qty)) * 100) / 100);
  });
  return { orderId, lines, unit };
}

/**
 * Price lists in another currency than the company's: EUR is activated with a rate of its own for
 * today (for the main company: Odoo prefers a company's rate to a newer global one), and two lists
 * are made: an EUR list (a product with no rule, a percentage, a formula on the sales price, a
 * formula on a USD list, a cost-plus formula) and a USD list that takes everything from the EUR
 * list. Odoo converts every base price into the list's currency (`_compute_base_price`), and a
 * product with no rule at the list's sales price converted.
 */
export async function makeCurrencyFixture(rpc: OdooRpc, major: number, tag: string, rate = 0.92): Promise<PriceFixture & { usdOnEur: PriceFixture }> {
  const [company] = await rpc.searchRead("res.company", [], ["currency_id"], { order: "id", limit: 1 });
  const companyCurrency = m2oId(company?.currency_id) ?? 0;
  const [eur] = await rpc
    .kw("res.currency", "search_read", [[["name", "=", "EUR"]]], { fields: ["id"], context: { active_test: false } })
    .then((r) => (Array.isArray(r) ? (r as Rec[]) : []));
  const eurId = eur?.id ?? 0;
  await rpc.write("res.currency", [eurId], { active: true });
  await rpc.create("res.currency.rate", { currency_id: eurId, rate, name: new Date().toISOString().slice(0, 10), company_id: company?.id });
  const categ = await rpc.create("product.category", { name: `CONF-${tag} fx category` });
  const products = new Map<string, number>();
  for (const [k, price] of Object.entries({ A: 100, B: 200, C: 300, D: 400, E: 500 })) {
    const sku = `CONF-${tag}-FX-${k}`;
    products.set(
      sku,
      await rpc.create("product.product", {
        name: `CONF ${tag} fx ${k}`,
        default_code: sku,
        list_price: price,
        standard_price: price / 2,
        categ_id: categ,
        ...storable(major),
      }),
    );
  }
  const tmpl = async (sku: string): Promise<number> => {
    const [p] = await rpc.read("product.product", [products.get(sku) ?? 0], ["product_tmpl_id"]);
    return m2oId(p?.product_tmpl_id) ?? 0;
  };
  const usdBase = await rpc.create("product.pricelist", {
    name: `CONF-${tag} fx USD base`,
    currency_id: companyCurrency,
    item_ids: [[0, 0, { applied_on: "0_product_variant", product_id: products.get(`CONF-${tag}-FX-D`), compute_price: "fixed", fixed_price: 380 }]],
  });
  const eurList = await rpc.create("product.pricelist", {
    name: `CONF-${tag} fx EUR customers`,
    currency_id: eurId,
    item_ids: [
      tenPercentOff(await tmpl(`CONF-${tag}-FX-B`)),
      formulaOnSalesPrice(await tmpl(`CONF-${tag}-FX-C`)),
      {
        applied_on: "0_product_variant",
        product_id: products.get(`CONF-${tag}-FX-D`),
        compute_price: "formula",
        base: "pricelist",
        base_pricelist_id: usdBase,
        price_discount: 5,
      },
      { applied_on: "0_product_variant", product_id: products.get(`CONF-${tag}-FX-E`), compute_price: "formula", base: "standard_price", price_discount: -20 },
    ].map((v) => [0, 0, v]),
  });
  const usdOnEur = await rpc.create("product.pricelist", {
    name: `CONF-${tag} fx USD on EUR`,
    currency_id: companyCurrency,
    item_ids: [[0, 0, { applied_on: "3_global", compute_price: "formula", base: "pricelist", base_pricelist_id: eurList, price_discount: 0 }]],
  });
  const fixture = async (list: number, who: string, rules: Record<string, string>): Promise<PriceFixture> => {
    const partnerEmail = `conf-${tag.toLowerCase()}-fx-${who}@example.com`;
    const partnerId = await rpc.create("res.partner", {
      name: `CONF ${tag} FX ${who} GmbH`,
      is_company: true,
      email: partnerEmail,
      property_product_pricelist: list,
    });
    const cases = Object.entries(rules).map(([k, rule]) => ({ name: `${who}: ${rule}`, sku: `CONF-${tag}-FX-${k}`, qty: 1, rule }));
    return { pricelistId: list, partnerId, partnerEmail, products, cases };
  };
  const eurFx = await fixture(eurList, "EUR list", {
    A: "no rule: 100 USD × rate",
    B: "200 USD × rate − 10 %",
    C: "300 USD × rate − 12.5 %, round 1, + 1.99",
    D: "(USD list 380) × rate − 5 %",
    E: "cost 250 USD × rate + 20 %",
  });
  const usdFx = await fixture(usdOnEur, "USD on EUR list", {
    A: "(EUR list, no rule) ÷ rate",
    C: "(EUR list formula) ÷ rate",
    D: "(EUR list on USD list) ÷ rate",
  });
  return { ...eurFx, usdOnEur: usdFx };
}
