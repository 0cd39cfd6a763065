import { captureSession } from "./capture-session.ts";
import { idList, m2oId } from "./odoo-rpc.ts";
import { capturedItemFields, makePriceFixture, storable } from "./odoo-scenario.ts";

/**
 * Records, from a live Odoo 16–18 on a fresh copy of its pristine database, what the fake needs to
 * price as Odoo does (files 90–99 in `--out`, see QUIRKS.md): customers before any pricelist
 * exists, every rule type on two lists (one based on the other), a sub-category under a category
 * rule, a global rule with a quantity break, Odoo's own sale order prices per product and quantity,
 * and where a partner's own pricelist is kept.
 *
 *   node test/conformance/odoo-capture-pricing.ts --url http://127.0.0.1:8017 --db qa17 --login admin --password admin --out test/fixtures/erp/odoo-captured/17/quirks
 */

const { rpc, save } = captureSession("odoo-capture-pricing.ts");

const major = await rpc.major();
const tag = `CAP${major}`;

// 90–91: before any pricelist is made (17/18 demo data has none; 16 has the Public Pricelist).
await rpc.searchRead("product.pricelist", [], ["name", "currency_id", "write_date"]);
save("90_pricelists_in_demo_data");
await rpc.searchRead("res.partner", [["is_company", "=", true]], ["name", "customer_rank", "property_product_pricelist"], { limit: 3, order: "id" });
save("91_companies_pricelist_in_demo_data");

// 92–96: every rule type, plus a sub-category and a global rule with a break at 5.
const fx = await makePriceFixture(rpc, major, tag);
const [e] = await rpc.read("product.product", [fx.products.get(`CONF-${tag}-PRICE-E`) ?? 0], ["categ_id"]);
const sub = await rpc.create("product.category", { name: `CONF-${tag} sub`, parent_id: m2oId(e?.categ_id) });
const other = await rpc.create("product.category", { name: `CONF-${tag} other` });
for (const [k, price, categ] of [
  ["F", 600, sub],
  ["G", 700, other],
] as const) {
  const sku = `CONF-${tag}-PRICE-${k}`;
  fx.products.set(
    sku,
    await rpc.create("product.product", { name: `CONF ${tag} price ${k}`, default_code: sku, list_price: price, categ_id: categ, ...storable(major) }),
  );
}
await rpc.create("product.pricelist.item", {
  pricelist_id: fx.pricelistId,
  applied_on: "3_global",
  compute_price: "formula",
  base: "list_price",
  price_discount: 20,
  min_quantity: 5,
});
const [list] = await rpc.read("product.pricelist", [fx.pricelistId], ["item_ids"]);
const bases = await rpc.searchRead("product.pricelist.item", [["pricelist_id", "=", fx.pricelistId]], ["base_pricelist_id"]);
const lists = [fx.pricelistId, ...bases.map((b) => m2oId(b.base_pricelist_id)).filter((id): id is number => id !== undefined)];
await rpc.searchRead("product.pricelist", [["id", "in", lists]], ["name", "currency_id", "sequence", "write_date"]);
save("92_pricing_pricelists");
await rpc.searchRead("product.pricelist.item", [["pricelist_id", "in", lists]], capturedItemFields(major));
save("93_pricing_items");
await rpc.read(
  "product.product",
  [...fx.products.values()],
  ["default_code", "name", "product_tmpl_id", "categ_id", "lst_price", "standard_price", "write_date"],
);
save("94_pricing_products");
await rpc.searchRead("product.category", [], ["name", "parent_id", "complete_name", "write_date"]);
save("95_pricing_categories");
// Odoo's own price per product and quantity: one quotation line each.
const cases: Array<[string, number]> = [];
for (const sku of fx.products.keys()) for (const qty of [1, 5, 10]) cases.push([sku, qty]);
const orderId = await rpc.create("sale.order", {
  partner_id: fx.partnerId,
  client_order_ref: `CONF-${tag}-PRICING`,
  order_line: cases.map(([sku, qty]) => [0, 0, { product_id: fx.products.get(sku), product_uom_qty: qty }]),
});
const [order] = await rpc.read("sale.order", [orderId], ["order_line"]);
await rpc.read("sale.order.line", idList(order?.order_line), ["product_id", "product_uom_qty", "price_unit", "discount", "price_subtotal"]);
save("96_pricing_sale_order_lines");

// 97–98: an individual (not a company, no sale) given the list; where Odoo keeps it.
const person = await rpc.create("res.partner", {
  name: `CONF ${tag} Person`,
  email: `conf-${tag.toLowerCase()}-p@example.com`,
  property_product_pricelist: fx.pricelistId,
});
await rpc.read("res.partner", [person], ["name", "is_company", "customer_rank", "property_product_pricelist", "write_date"]);
save("97_individual_with_own_pricelist");
if (major >= 18) await rpc.searchRead("res.partner", [["specific_property_product_pricelist", "!=", false]], ["id"]);
else
  await rpc.searchRead(
    "ir.property",
    [
      ["name", "=", "property_product_pricelist"],
      ["res_id", "=like", "res.partner,%"],
      ["value_reference", "!=", false],
    ],
    ["res_id", "value_reference"],
  );
save("98_partners_with_own_pricelist");
console.error(`captured pricing from Odoo ${major}: list ${fx.pricelistId} (${idList(list?.item_ids).length} rules), order ${orderId}`);
