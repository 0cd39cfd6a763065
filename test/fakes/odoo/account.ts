/// <reference types="vite/client" />
import type { Hono } from "hono";
import type { Rec } from "./domain";
import type { Db, Version } from "./seed";

/**
 * The invoice and return side of the fake Odoo, as captured from 16, 17 and 18
 * (test/fixtures/erp/odoo-captured/<v>/account, see QUIRKS.md a01–a12): posted customer invoices
 * (`account.move`) with Odoo's figures, the invoice report behind a web session (a PDF, or Odoo's
 * 400 error page when it has no wkhtmltopdf), the copy Odoo keeps as an `ir.attachment`, and the
 * "Return" wizard (`stock.return.picking`, `create_returns` on 16/17, `action_create_returns` on 18)
 * making an incoming return picking whose moves point back at the delivered ones.
 */
interface Capture {
  http_status: number;
  response: { result?: unknown; error_message?: string | null };
}
const files = import.meta.glob<{ default: Capture }>("../../fixtures/erp/odoo-captured/*/account/*.json", { eager: true });
const captured = (version: Version, prefix: string): Capture | undefined =>
  Object.entries(files).find(([path]) => path.includes(`/${version === 19 ? 18 : version}/account/${prefix}`))?.[1].default;

/** What this part answers when a call is not its own. */
export const NOT_MINE = Symbol("not mine");

export interface AccountDeps {
  db: Db;
  version: Version;
  table(model: string): Map<number, Rec>;
  nextId(model: string): number;
  stamp(): string;
  raise(name: string, message: string): never;
}

export interface AccountFake {
  orm(model: string, method: string, args: unknown[]): unknown;
  routes(app: Hono): void;
  /** Odoo can render PDFs (wkhtmltopdf installed); false answers its captured error page. */
  wkhtmltopdf: boolean;
  /** Requests of the invoice report (`/report/pdf/...`). */
  reports: number;
  /** Test steps staff do in Odoo: a sale order's posted invoice (15 % tax, as the demo company's), a payment, a PDF kept. */
  postInvoice(saleOrderId: number, opts?: { refund?: boolean }): number;
  pay(invoiceId: number, amount: number): void;
  keepPdf(invoiceId: number): void;
  /** The fake PDF the report answers. */
  pdfOf(invoiceId: number): Uint8Array;
}

/** The fields the fake knows on its account models (a read of any other is Odoo's ValueError). */
export const ACCOUNT_FIELDS: Record<string, string[]> = {
  "account.move": [
    "id",
    "name",
    "move_type",
    "state",
    "payment_state",
    "invoice_origin",
    "invoice_date",
    "invoice_date_due",
    "amount_total",
    "amount_residual",
    "currency_id",
    "commercial_partner_id",
    "partner_id",
    "write_date",
  ],
  "ir.attachment": ["id", "name", "res_model", "res_id", "res_field", "mimetype", "file_size", "datas", "write_date"],
  "stock.return.picking": ["id", "picking_id", "product_return_moves", "write_date"],
};

const SESSION = "fake-odoo-session";
const pdfBytes = (id: number) =>
  new TextEncoder().encode(`%PDF-1.4\n% fake Odoo invoice report ${id}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`);
const base64 = (b: Uint8Array) => btoa(String.fromCharCode(...b));
const m2oId = (v: unknown): number | undefined => (Array.isArray(v) && typeof v[0] === "number" ? v[0] : typeof v === "number" ? v : undefined);

export function accountFake(d: AccountDeps): AccountFake {
  for (const model of Object.keys(ACCOUNT_FIELDS)) if (!d.db.has(model)) d.db.set(model, new Map());
  let invoiceSeq = 0;
  const round = (n: number) => Math.round(n * 100) / 100;

  function createReturns(wizardId: number): number {
    const wizard = d.table("stock.return.picking").get(wizardId);
    const picking = d.table("stock.picking").get(m2oId(wizard?.picking_id) ?? -1);
    if (!wizard || !picking) d.raise("odoo.exceptions.UserError", "No picking to return");
    if (picking.state !== "done") d.raise("odoo.exceptions.UserError", "You may only return Done pickings.");
    const id = d.nextId("stock.picking");
    // 16 has a dedicated return type (WH/RET), 17 and 18 return into receipts (WH/IN), as captured (a08).
    const name = `${d.version <= 16 ? "WH/RET" : "WH/IN"}/${String(id).padStart(5, "0")}`;
    const stamp = d.stamp();
    const moveIds: number[] = [];
    for (const cmd of Array.isArray(wizard.product_return_moves) ? wizard.product_return_moves : []) {
      const vals = Array.isArray(cmd) ? (cmd[2] as Record<string, unknown>) : undefined;
      const orig = d.table("stock.move").get(m2oId(vals?.move_id) ?? -1);
      if (!vals || !orig) d.raise("odoo.exceptions.UserError", "You have manually created product lines, please delete them to proceed.");
      if (!Number(vals.quantity)) continue;
      const moveId = d.nextId("stock.move");
      moveIds.push(moveId);
      d.table("stock.move").set(moveId, {
        id: moveId,
        picking_id: [id, name],
        product_id: orig.product_id,
        product_uom_qty: Number(vals.quantity),
        state: "assigned",
        picking_code: "incoming",
        origin_returned_move_id: [orig.id, String(orig.reference ?? "")],
        location_id: orig.location_dest_id,
        location_dest_id: orig.location_id ?? [8, "WH/Stock"],
        date: stamp,
        reference: name,
        ...(d.version <= 16 ? { quantity_done: 0 } : { quantity: Number(vals.quantity), picked: false }),
        write_date: stamp,
      });
    }
    if (moveIds.length === 0) d.raise("odoo.exceptions.UserError", "Please specify at least one non-zero quantity.");
    d.table("stock.picking").set(id, {
      id,
      name,
      state: "assigned",
      carrier_id: false,
      carrier_tracking_ref: false,
      date_done: false,
      origin: `Return of ${String(picking.name)}`,
      sale_id: picking.sale_id,
      partner_id: picking.partner_id ?? false,
      picking_type_code: "incoming",
      move_ids: moveIds,
      note: false,
      write_date: stamp,
    });
    return id;
  }

  const self: AccountFake = {
    wkhtmltopdf: true,
    reports: 0,
    orm(model, method, args) {
      const ids = (Array.isArray(args[0]) ? args[0] : []).filter((x): x is number => typeof x === "number");
      if (model === "stock.return.picking" && (method === "create_returns" || method === "action_create_returns")) {
        // The method Odoo 18 renamed: the other name does not exist there (and 18's does not on 16/17).
        if ((method === "action_create_returns") !== d.version >= 18)
          d.raise("builtins.AttributeError", `The method '${method}' does not exist on the model '${model}'`);
        const id = createReturns(ids[0] ?? -1);
        return { name: "Returned Picking", type: "ir.actions.act_window", res_model: "stock.picking", res_id: id, view_mode: "form", context: {} };
      }
      if (model === "ir.actions.report" && method === "get_wkhtmltopdf_state") return self.wkhtmltopdf ? "ok" : "install";
      return NOT_MINE;
    },
    routes(app) {
      app.post("/web/session/authenticate", async (c) => {
        const body = await c.req.json<{ params: { db: string; login: string; password: string } }>();
        const { db, login, password } = body.params;
        if (db !== (d.version === 16 ? "probe" : `probe${d.version}`) || login !== "admin" || password !== "admin")
          return c.json({
            jsonrpc: "2.0",
            id: 1,
            error: { code: 200, message: "Odoo Server Error", data: { name: "odoo.exceptions.AccessDenied", message: "Access Denied" } },
          });
        c.header("set-cookie", `session_id=${SESSION}; Expires=Tue, 29 Dec 2026 08:00:00 GMT; Max-Age=604800; HttpOnly; Path=/`);
        return c.json({ jsonrpc: "2.0", id: 1, result: { uid: 2, db, username: login } });
      });
      app.get("/report/pdf/account.report_invoice/:id", (c) => {
        if (c.req.header("cookie") !== `session_id=${SESSION}`) return c.redirect("/web/login?redirect=%2Freport%2Fpdf", 303);
        const id = Number(c.req.param("id"));
        self.reports++;
        if (!self.wkhtmltopdf) {
          const message = captured(d.version, "a06a_")?.response.error_message ?? "Unable to find Wkhtmltopdf on this system. The PDF can not be created.";
          return c.html(
            `<!DOCTYPE html>\n<html><body><h1 class="mt-5">Oops! Something went wrong.</h1>\n<p>Take a look at the error message below.</p>\n<pre>${message}</pre></body></html>`,
            400,
          );
        }
        if (!d.table("account.move").has(id)) return c.html("<pre>Record does not exist or has been deleted.</pre>", 400);
        return new Response(self.pdfOf(id), { status: 200, headers: { "content-type": "application/pdf" } });
      });
    },
    postInvoice(saleOrderId, opts = {}) {
      const so = d.table("sale.order").get(saleOrderId);
      if (!so) throw new Error(`no sale order ${saleOrderId}`);
      const lines = (Array.isArray(so.order_line) ? so.order_line : []).map((l) => d.table("sale.order.line").get(Number(l)));
      const untaxed = lines.reduce((sum, l) => sum + Number(l?.product_uom_qty ?? 0) * Number(l?.price_unit ?? 0), 0);
      const total = round(untaxed * 1.15);
      const id = d.nextId("account.move");
      const stamp = d.stamp();
      const day = stamp.slice(0, 10);
      d.table("account.move").set(id, {
        id,
        name: `${opts.refund ? "RINV" : "INV"}/2026/${String(++invoiceSeq + 4).padStart(5, "0")}`,
        move_type: opts.refund ? "out_refund" : "out_invoice",
        state: "posted",
        payment_state: "not_paid",
        invoice_origin: so.name,
        invoice_date: day,
        invoice_date_due: day,
        amount_total: total,
        amount_residual: total,
        currency_id: d.version === 16 ? [2, "USD"] : [1, "USD"],
        commercial_partner_id: so.partner_id,
        partner_id: so.partner_id,
        write_date: stamp,
      });
      return id;
    },
    pay(invoiceId, amount) {
      const inv = d.table("account.move").get(invoiceId);
      if (!inv) throw new Error(`no invoice ${invoiceId}`);
      const residual = round(Number(inv.amount_residual) - amount);
      // As captured (a03): a part payment is "partial"; paid in full without a bank statement, "in_payment" (17/18) or "paid".
      Object.assign(inv, {
        amount_residual: residual,
        payment_state: residual <= 0 ? (d.version >= 17 ? "in_payment" : "paid") : "partial",
        write_date: d.stamp(),
      });
    },
    keepPdf(invoiceId) {
      const inv = d.table("account.move").get(invoiceId);
      if (!inv) throw new Error(`no invoice ${invoiceId}`);
      const id = d.nextId("ir.attachment");
      const bytes = self.pdfOf(invoiceId);
      d.table("ir.attachment").set(id, {
        id,
        name: `${String(inv.name).replaceAll("/", "_")}.pdf`,
        res_model: "account.move",
        res_id: invoiceId,
        // 16 keeps the printed report (res_field false); 17/18 "Send & Print" fill invoice_pdf_report_file.
        res_field: d.version <= 16 ? false : "invoice_pdf_report_file",
        mimetype: "application/pdf",
        file_size: bytes.byteLength,
        datas: base64(bytes),
        write_date: d.stamp(),
      });
    },
    pdfOf: pdfBytes,
  };
  return self;
}
