import { captureSession } from "./capture-session.ts";
import { idList, OdooRpcError } from "./odoo-rpc.ts";
import { storable } from "./odoo-scenario.ts";

/**
 * Records, from a live Odoo 16–18, what it answers to edits of a confirmed sale order it will not
 * take (files 99a–99f in `--out`, see QUIRKS.md): a locked order's lines, cancelling a locked order,
 * unlocking it, a quantity below what was delivered.
 *
 *   node test/conformance/odoo-capture-edits.ts --url http://127.0.0.1:8016 --db qa16 --login admin --password admin --out test/fixtures/erp/odoo-captured/16/quirks
 */

const { rpc, save } = captureSession("odoo-capture-edits.ts");
/** A call Odoo refuses: its error is the capture. */
const refused = async (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => "accepted",
    (e: unknown) => (e instanceof OdooRpcError ? e.message : String(e)),
  );

const major = await rpc.major();
const partner = await rpc.create("res.partner", { name: `CONF edit ${major} GmbH`, is_company: true });
const product = await rpc.create("product.product", { name: "CONF edit probe", default_code: `CONF-EDIT-${major}`, list_price: 10, ...storable(major) });
const so = await rpc.create("sale.order", {
  partner_id: partner,
  client_order_ref: `CONF-EDIT-${major}`,
  order_line: [[0, 0, { product_id: product, product_uom_qty: 2 }]],
});
await rpc.act("sale.order", "action_confirm", [so]);
// 16 locks with `action_done` (state "done"), 17 and 18 with `action_lock` (`locked`, state stays "sale").
await rpc.act("sale.order", major >= 17 ? "action_lock" : "action_done", [so]);
await rpc.read("sale.order", [so], ["name", "state", ...(major >= 17 ? ["locked"] : []), "order_line"]);
save("99a_locked_sale_order");
const [order] = await rpc.read("sale.order", [so], ["order_line"]);
const line = idList(order?.order_line)[0] ?? 0;
console.error("edit locked:", await refused(rpc.write("sale.order", [so], { order_line: [[1, line, { product_uom_qty: 3 }]] })));
save("99b_locked_sale_order_line_edit_refused");
console.error("cancel locked:", await refused(rpc.act("sale.order", "action_cancel", [so], { disable_cancel_warning: true })));
save("99c_locked_sale_order_cancel");
await rpc.act("sale.order", "action_unlock", [so]);
await rpc.read("sale.order", [so], ["name", "state", ...(major >= 17 ? ["locked"] : [])]);
save("99d_unlocked_sale_order");
console.error("edit unlocked:", await refused(rpc.write("sale.order", [so], { order_line: [[1, line, { product_uom_qty: 3 }]] })));
save("99e_unlocked_sale_order_line_edit");
