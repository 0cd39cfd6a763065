import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { captureSession } from "./capture-session.ts";
import {
  deliveredSale,
  INVOICE_FIELDS,
  postedInvoice,
  registerPayment,
  returnMethod,
  returnPicking,
  validatePicking,
  webSession,
} from "./odoo-account-scenario.ts";

/**
 * Records, from a live Odoo 16–18, what the invoice and return connector reads and calls (files
 * a01–a12 in `--out`, see QUIRKS.md): a posted customer invoice and its figures after a partial
 * payment, the change-stream read of `account.move`, Odoo's invoice report over a web session (and
 * what it answers when it cannot render a PDF), the PDF Odoo keeps as an attachment, the return
 * wizard and the return picking it makes, before and after it is received.
 *
 *   node test/conformance/odoo-capture-account.ts --url http://127.0.0.1:8017 --db docs17 --login admin --password admin --out test/fixtures/erp/odoo-captured/17/account
 */

const { rpc, save, options } = captureSession("odoo-capture-account.ts");
const write = (name: string, v: unknown) => writeFileSync(join(options.out, `${name}.json`), `${JSON.stringify(v, null, 2)}\n`);
const major = await rpc.major();
const tag = `A${major}`;
const sale = await deliveredSale(rpc, major, tag, `conf-docs-${major}`);
await rpc.read("stock.picking", [sale.picking], ["name", "state", "picking_type_code", "sale_id", "partner_id", "move_ids", "write_date"]);
save("a01_delivery_done");
const invoice = await postedInvoice(rpc, sale.saleOrder);
await rpc.read("account.move", [invoice], INVOICE_FIELDS);
save("a02_invoice_posted");
await registerPayment(rpc, invoice, 50);
await rpc.read("account.move", [invoice], INVOICE_FIELDS);
save("a03_invoice_partial_payment");
// The change stream's read: customer invoices and credit notes, posted or cancelled.
await rpc.searchRead(
  "account.move",
  [
    ["move_type", "in", ["out_invoice", "out_refund"]],
    ["state", "in", ["posted", "cancel"]],
    ["commercial_partner_id", "=", sale.partner],
  ],
  INVOICE_FIELDS,
  { order: "write_date asc, id asc", limit: 200 },
);
save("a04_account_move_search_read");
await rpc.kw("ir.actions.report", "get_wkhtmltopdf_state", []);
save("a05_wkhtmltopdf_state");
// Odoo's invoice report, as the "Print" button reaches it: a web session, then /report/pdf.
// a06_: as this server answers it now (a06a_ without wkhtmltopdf installed, a06b_ with it).
const pdfName = process.env.PDF_CAPTURE ?? "a06_report_pdf";
const session = await webSession(options.url, options.db, options.login, options.password);
const started = performance.now();
const res = await fetch(`${options.url.replace(/\/$/, "")}/report/pdf/account.report_invoice/${invoice}`, { headers: { cookie: `session_id=${session}` } });
const bytes = new Uint8Array(await res.arrayBuffer());
const head = new TextDecoder().decode(bytes.subarray(0, 8));
write(pdfName, {
  endpoint: "GET /report/pdf/account.report_invoice/<id>",
  http_status: res.status,
  elapsed_ms: Math.round(performance.now() - started),
  request: { cookie: "session_id=<from /web/session/authenticate>" },
  response: {
    content_type: res.headers.get("content-type"),
    bytes: bytes.byteLength,
    starts_with: head,
    // Odoo's error page: its message is the page's <pre>.
    ...(head.startsWith("%PDF") ? {} : { error_message: /<pre>([^<]*)<\/pre>/.exec(new TextDecoder().decode(bytes))?.[1] ?? null }),
  },
});
// The PDF Odoo keeps: 16 saves the printed report as an attachment, 17/18 only what "Send & Print" made.
const [inv] = await rpc.read("account.move", [invoice], ["name"]);
await rpc.searchRead(
  "ir.attachment",
  [
    ["res_model", "=", "account.move"],
    ["res_id", "=", invoice],
    ["name", "=", `${String(inv?.name).replaceAll("/", "_")}.pdf`],
    "|",
    ["res_field", "=", false],
    ["res_field", "=", "invoice_pdf_report_file"],
  ],
  ["name", "mimetype", "file_size", "res_field"],
);
save("a07_invoice_pdf_attachment");
// The buyer's return: the "Return" wizard on the delivery.
const ret = await returnPicking(rpc, major, sale.picking, 1);
save("a08_return_picking_created");
console.error(`return via ${returnMethod(major)}: ${String(ret.name)} ${String(ret.state)} origin ${String(ret.origin)}`);
await rpc.write("stock.picking", [ret.id], { origin: `${String(ret.origin)} [backroom-return:ret_conf${major}]` });
await rpc.searchRead(
  "stock.picking",
  [
    ["picking_type_code", "=", "incoming"],
    ["sale_id", "!=", false],
    ["move_ids.origin_returned_move_id", "!=", false],
  ],
  ["name", "state", "origin", "sale_id", "partner_id", "date_done", "move_ids", "write_date"],
);
save("a09_return_pickings_search_read");
await rpc.searchRead("stock.move", [["picking_id", "=", ret.id]], ["product_id", "product_uom_qty", "origin_returned_move_id", "state"]);
save("a10_return_moves");
await validatePicking(rpc, major, ret.id);
await rpc.read("stock.picking", [ret.id], ["name", "state", "origin", "date_done", "write_date"]);
save("a11_return_picking_done");
await rpc.read("sale.order", [sale.saleOrder], ["name", "partner_id", "invoice_ids", "picking_ids", "origin", "client_order_ref"]);
save("a12_sale_order");
