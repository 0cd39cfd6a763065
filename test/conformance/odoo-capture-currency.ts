import { captureSession } from "./capture-session.ts";
import { idList, m2oId } from "./odoo-rpc.ts";
import { capturedItemFields, makeCurrencyFixture } from "./odoo-scenario.ts";

/**
 * Records, from a live Odoo 16–18 on a fresh copy of its pristine database, how Odoo prices lists
 * in another currency (files 9fx1–9fx6 in `--out`, see QUIRKS.md): the currencies with the rate
 * Odoo computes for today, their rate records, the EUR and USD lists with their rules, the products
 * with their currencies, and Odoo's own sale order prices for a buyer on each list.
 *
 *   node test/conformance/odoo-capture-currency.ts --url http://127.0.0.1:8017 --db lead17 --login admin --password admin --out test/fixtures/erp/odoo-captured/17/quirks
 */

const { rpc, save } = captureSession("odoo-capture-currency.ts");
const major = await rpc.major();
const tag = `CAP${major}`;
const fx = await makeCurrencyFixture(rpc, major, tag);
const lists = [fx.pricelistId, fx.usdOnEur.pricelistId];

await rpc.kw("res.currency", "search_read", [[["name", "in", ["USD", "EUR", "CHF"]]]], {
  fields: ["name", "active", "rate", "rounding", "write_date"],
  context: { active_test: false },
});
save("9fx1_currencies_rate_today");
await rpc.searchRead("res.currency.rate", [["currency_id.name", "in", ["USD", "EUR", "CHF"]]], ["name", "rate", "currency_id", "company_id", "write_date"]);
save("9fx2_currency_rates");
const items = await rpc.searchRead("product.pricelist.item", [["pricelist_id", "in", lists]], ["base_pricelist_id"]);
const all = [...new Set([...lists, ...items.map((i) => m2oId(i.base_pricelist_id)).filter((id): id is number => id !== undefined)])];
await rpc.searchRead("product.pricelist", [["id", "in", all]], ["name", "currency_id", "sequence", "write_date"]);
save("9fx3_pricelists");
await rpc.searchRead("product.pricelist.item", [["pricelist_id", "in", all]], capturedItemFields(major));
save("9fx4_items");
await rpc.read(
  "product.product",
  [...fx.products.values()],
  ["default_code", "name", "product_tmpl_id", "categ_id", "lst_price", "standard_price", "currency_id", "cost_currency_id", "write_date"],
);
save("9fx5_products");
const orders: number[] = [];
for (const f of [fx, fx.usdOnEur])
  orders.push(
    await rpc.create("sale.order", {
      partner_id: f.partnerId,
      client_order_ref: `CONF-${tag}-FX-${f.pricelistId}`,
      order_line: [...fx.products.values()].map((id) => [0, 0, { product_id: id, product_uom_qty: 1 }]),
    }),
  );
const read = await rpc.read("sale.order", orders, ["order_line"]);
await rpc.read(
  "sale.order.line",
  read.flatMap((o) => idList(o.order_line)),
  ["order_id", "product_id", "product_uom_qty", "price_unit", "currency_id", "price_subtotal"],
);
save("9fx6_sale_order_lines");
console.error(`captured currency pricing from Odoo ${major}: lists ${all.join(", ")}, orders ${orders.join(", ")}`);
