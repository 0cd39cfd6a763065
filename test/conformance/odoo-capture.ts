import { captureSession } from "./capture-session.ts";
import { idList, m2oId, numberOf } from "./odoo-rpc.ts";
import { makePriceFixture, odooSalePrices, openPhysicalInventory, setOnHand, stockLocation, storable } from "./odoo-scenario.ts";

/**
 * Records, from a live Odoo 16–18 (demo data, a fresh copy of the pristine database), the quirks
 * the Odoo fake must reproduce, one `{endpoint, http_status, elapsed_ms, request, response}` file
 * per call into `--out` (test/fixtures/erp/odoo-captured/<major>/). See QUIRKS.md there.
 *
 *   node test/conformance/odoo-capture.ts --url http://127.0.0.1:8017 --db qa17 --login admin --password admin --out test/fixtures/erp/odoo-captured/17/quirks
 */

const { rpc, save, options: values } = captureSession("odoo-capture.ts");
const out = values.out;

const major = await rpc.major();
const { location } = await stockLocation(rpc);
const plus1s = (s: string): string => new Date(Date.parse(`${s.replace(" ", "T")}Z`) + 1000).toISOString().slice(0, 19).replace("T", " ");

// 40–43: write_date is stored with microseconds but answered in whole seconds.
const one = await rpc.create("product.product", { name: "CONF write_date probe", default_code: "CONF-WD-1", ...storable(major) });
const [probe] = await rpc.read("product.product", [one], ["default_code", "write_date"]);
save("40_write_date_read_whole_seconds");
const wd = String(probe?.write_date);
await rpc.count("product.product", [
  ["id", "=", one],
  ["write_date", "=", wd],
]);
save("41_write_date_equals_its_own_value_matches_nothing");
await rpc.count("product.product", [
  ["id", "=", one],
  ["write_date", ">", wd],
]);
save("42_write_date_greater_than_its_own_value_matches_itself");
await rpc.count("product.product", [
  ["id", "=", one],
  ["write_date", ">=", wd],
  ["write_date", "<", plus1s(wd)],
]);
save("43_write_date_within_its_second_matches");

// 44–48: 250 products created in one call share one write_date; search_read pages of 200.
const bulk = Array.from({ length: 250 }, (_, i) => ({
  name: `CONF bulk ${i + 1}`,
  default_code: `CONF-BULK-${String(i + 1).padStart(3, "0")}`,
  ...storable(major),
}));
const ids = await rpc.createMany("product.product", bulk);
save("44_product_bulk_create_250");
const mine = [["default_code", "=like", "CONF-BULK-%"]];
const page1 = await rpc.searchRead("product.product", mine, ["default_code", "write_date"], { limit: 200, order: "write_date asc, id asc" });
save("45_bulk_search_read_page1_limit200");
const shared = String(page1[0]?.write_date);
const lastId = page1.at(-1)?.id ?? 0;
await rpc.searchRead(
  "product.product",
  [...mine, "|", ["write_date", ">", shared], "&", ["write_date", "=", shared], ["id", ">", lastId]],
  ["default_code", "write_date"],
  {
    limit: 200,
    order: "write_date asc, id asc",
  },
);
save("46_bulk_keyset_page2_by_write_date_gt_or_eq_returns_page1_again");
await rpc.searchRead(
  "product.product",
  [...mine, ["write_date", ">=", shared], ["write_date", "<", plus1s(shared)], ["id", ">", lastId]],
  ["default_code", "write_date"],
  {
    limit: 200,
    order: "write_date asc, id asc",
  },
);
save("47_bulk_page2_within_the_second_by_id");
await rpc.kw("product.product", "read_group", [mine, ["write_date:count_distinct"], []], {});
save("48_bulk_read_group_one_write_date");
console.error(`bulk: ${ids.length} ids, ${page1.length} in page 1, shared write_date ${shared}`);

// 50–55: a quant set to 5, then zeroed (inventory apply), then deleted by Odoo's quant tasks.
const zp = await rpc.create("product.product", { name: "CONF zero quant", default_code: "CONF-ZERO-1", ...storable(major) });
const quantFields = ["product_id", "location_id", "quantity", "reserved_quantity", "write_date"];
const zq = [
  ["product_id", "=", zp],
  ["location_id", "=", location],
];
await setOnHand(rpc, zp, location, 5);
await rpc.searchRead("stock.quant", zq, quantFields);
save("50_quant_after_inventory_5");
await setOnHand(rpc, zp, location, 0);
save("51_quant_apply_inventory_zero");
await rpc.searchRead("stock.quant", zq, quantFields);
save("52_quant_after_inventory_zero");
await openPhysicalInventory(rpc);
save("53_stock_quant_action_view_inventory");
await rpc.searchRead("stock.quant", zq, quantFields);
save("54_quant_deleted_after_quant_tasks");
await rpc.read("product.product", [zp], ["default_code", "qty_available", "free_qty", "virtual_available"]);
save("55_product_qty_after_quant_deleted");

// 60–62: a price-list rule of every type, and Odoo's own sale-order price for each.
const fx = await makePriceFixture(rpc, major, `CAP${major}`);
await rpc.searchRead(
  "product.pricelist.item",
  [["pricelist_id", "=", fx.pricelistId]],
  [
    "pricelist_id",
    "applied_on",
    "product_tmpl_id",
    "product_id",
    "categ_id",
    "min_quantity",
    "compute_price",
    "fixed_price",
    "percent_price",
    "base",
    "base_pricelist_id",
    "price_discount",
    "price_surcharge",
    "price_round",
    "write_date",
  ],
);
save("60_pricelist_items_every_rule_type");
await rpc.read("res.partner", [fx.partnerId], ["name", "email", "is_company", "customer_rank", "property_product_pricelist", "write_date"]);
save("61_partner_with_pricelist_no_sales");
const priced = await odooSalePrices(rpc, fx, `CONF-CAP${major}-PRICES`);
save("62_sale_order_line_prices_per_rule");
console.error("prices:", Object.fromEntries(priced.unit));

// 63–64: a draft sale order has its own write_date and no picking.
const draftId = await rpc.create("sale.order", {
  partner_id: fx.partnerId,
  client_order_ref: `CONF-CAP${major}-DRAFT`,
  order_line: [[0, 0, { product_id: fx.products.get(`CONF-CAP${major}-PRICE-A`), product_uom_qty: 2 }]],
});
await rpc.read("sale.order", [draftId], ["name", "state", "client_order_ref", "write_date", "picking_ids"]);
save("63_draft_sale_order_write_date");

// 65–67: an order confirmed, then cancelled before delivery.
const cancelId = await rpc.create("sale.order", {
  partner_id: fx.partnerId,
  client_order_ref: `CONF-CAP${major}-CANCEL`,
  order_line: [[0, 0, { product_id: fx.products.get(`CONF-CAP${major}-PRICE-B`), product_uom_qty: 1 }]],
});
await rpc.act("sale.order", "action_confirm", [cancelId]);
await rpc.act("sale.order", "action_cancel", [cancelId]);
save("65_sale_order_action_cancel_confirmed_shows_wizard");
await rpc.act("sale.order", "action_cancel", [cancelId], { disable_cancel_warning: true });
save("66_sale_order_action_cancel_disable_cancel_warning");
const [cancelled] = await rpc.read("sale.order", [cancelId], ["name", "state", "client_order_ref", "write_date", "picking_ids"]);
save("67_cancelled_sale_order_read");
await rpc.read("stock.picking", idList(cancelled?.picking_ids), ["name", "state", "picking_type_code", "write_date"]);
save("68_cancelled_sale_order_picking");

// 70–71: a receipt that was due ten days ago and has not arrived.
const [vendor] = await rpc.searchRead("res.partner", [["supplier_rank", ">", 0]], ["id"], { limit: 1, order: "id" });
const past = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 19).replace("T", " ");
const poId = await rpc.create("purchase.order", {
  partner_id: vendor?.id,
  order_line: [[0, 0, { product_id: fx.products.get(`CONF-CAP${major}-PRICE-A`), product_qty: 7, price_unit: 50, date_planned: past }]],
});
await rpc.act("purchase.order", "button_confirm", [poId]);
await rpc.searchRead(
  "stock.move",
  [
    ["product_id", "=", fx.products.get(`CONF-CAP${major}-PRICE-A`)],
    ["picking_code", "=", "incoming"],
    ["state", "not in", ["draft", "done", "cancel"]],
  ],
  ["product_id", "product_uom_qty", "date", "location_dest_id", "reference", "state"],
);
save("70_overdue_receipt_incoming_move");
await rpc.read("product.product", [fx.products.get(`CONF-CAP${major}-PRICE-A`) ?? 0], ["qty_available", "incoming_qty", "virtual_available"]);
save("71_overdue_receipt_product_incoming_qty");

// 80: JSON-2 does not exist before Odoo 19: the path answers Odoo's HTML 404 page.
const json2 = await rpc.raw(
  "POST",
  "/json/2/res.partner/search_read",
  { authorization: `Bearer ${values.password}`, "x-odoo-database": values.db, "content-type": "application/json" },
  { domain: [], fields: ["name"], limit: 1 },
);
save("80_json2_path_on_jsonrpc_only_server");
console.error(`json2: HTTP ${json2.http_status}`);
console.error(`captured Odoo ${major} into ${out}`);
console.error(
  `orders: draft ${draftId}, cancelled ${cancelId} (${String(cancelled?.state)}), po ${poId}, zero product ${zp}, sale ${m2oId(priced.lines[0]?.product_id)} ${numberOf(priced.orderId)}`,
);
