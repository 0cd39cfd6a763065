import { captureSession } from "./capture-session.ts";
import { KIT_BOM_FIELDS, KIT_LINE_FIELDS, kitProductFields, makeKitsFixture, odooCaseLine, PACKAGING_FIELDS, UOM_FIELDS } from "./odoo-kits-scenario.ts";
import { idList, m2oId } from "./odoo-rpc.ts";
import { xmlId } from "./odoo-scenario.ts";

/**
 * Records, from a live Odoo 16–18 with `mrp`, what the kits-and-units pull reads (files k01–k10 in
 * `--out`, see QUIRKS.md): whether mrp is installed, the units of measure, phantom BoMs and their
 * lines (template and variant BoMs, a line in Dozens, a BoM making 2), packagings, the products
 * with Odoo's own kit quantities, the components' quants, Odoo's packaging math and price on a
 * quotation line, and a receipt bought in Dozens (its move in the purchase unit and the product's).
 *
 *   node test/conformance/odoo-capture-kits.ts --url http://127.0.0.1:8017 --db kits17 --login admin --password admin --out test/fixtures/erp/odoo-captured/17/kits
 */

const { rpc, save } = captureSession("odoo-capture-kits.ts");
const major = await rpc.major();
const tag = `KITS${major}`;

await rpc.searchRead("ir.model", [["model", "in", ["mrp.bom", "mrp.bom.line", "product.packaging", "no.such.model"]]], ["model"]);
save("k01_ir_model_mrp_installed");
await rpc.searchRead("uom.uom", [], UOM_FIELDS, { order: "id" });
save("k02_uoms");
const fx = await makeKitsFixture(rpc, major, tag);
const ids = [fx.a, fx.b, fx.c, fx.gift, fx.duo, fx.soap];
const tmpls = (await rpc.read("product.product", ids, ["product_tmpl_id"])).map((p) => m2oId(p.product_tmpl_id) ?? 0);
const boms = await rpc.searchRead("mrp.bom", [["type", "=", "phantom"], "|", ["product_id", "in", ids], ["product_tmpl_id", "in", tmpls]], KIT_BOM_FIELDS, {
  order: "sequence, product_id, id",
});
save("k03_phantom_boms");
await rpc.searchRead("mrp.bom.line", [["bom_id", "in", boms.map((b) => b.id)]], KIT_LINE_FIELDS, { order: "id" });
save("k04_phantom_bom_lines");
await rpc.searchRead("product.packaging", [["product_id", "in", ids]], PACKAGING_FIELDS, { order: "id" });
save("k05_packagings");
await rpc.read("product.product", ids, kitProductFields(major));
save("k06_products_with_odoo_kit_qty");
await rpc.searchRead(
  "stock.quant",
  [
    ["product_id", "in", ids],
    ["location_id.usage", "=", "internal"],
  ],
  ["product_id", "location_id", "quantity", "reserved_quantity"],
);
save("k07_component_quants");
console.error("3 cases:", await odooCaseLine(rpc, fx, 36));
save("k08_sale_line_with_packaging");
// A receipt bought in Dozens: the move's product_uom_qty is in the purchase unit, product_qty in the product's.
const vendor = await rpc.create("res.partner", { name: `${tag} vendor` });
const dozens = await xmlId(rpc, "uom", "product_uom_dozen");
const po = await rpc.create("purchase.order", {
  partner_id: vendor,
  order_line: [[0, 0, { product_id: fx.b, product_qty: 2, product_uom: dozens, price_unit: 10 }]],
});
await rpc.act("purchase.order", "button_confirm", [po]);
const [order] = await rpc.read("purchase.order", [po], ["picking_ids"]);
await rpc.searchRead(
  "stock.move",
  [["picking_id", "in", idList(order?.picking_ids)]],
  ["product_id", "product_uom_qty", "product_qty", "product_uom", "state", "location_dest_id"],
);
save("k09_receipt_in_dozens");
// A BoM line changed: the BoM's write_date moves only when the line is written through the BoM.
const [line] = await rpc.searchRead("mrp.bom.line", [["bom_id", "=", fx.giftBom]], ["id"], { order: "id", limit: 1 });
await rpc.write("mrp.bom", [fx.giftBom], { bom_line_ids: [[1, line?.id ?? 0, { product_qty: 2 }]] });
await rpc.searchRead("mrp.bom", [["id", "=", fx.giftBom]], ["write_date", "bom_line_ids"]);
save("k10_bom_after_line_edit");
