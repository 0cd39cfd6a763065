import type { InvoiceRow, InvoiceStatus } from "../../contract/account";
import type { ErpNextSettings } from "../../contract/connectors";
import { RemoteError } from "../errors";
import { fail, type Mapped } from "../mapped";
import type { ErpDoc, ErpNextClient } from "./client";
import { frappeTime, num, str } from "./map";

/**
 * ERPNext's Sales Invoices (and their returns, credit notes with `is_return`) as the `invoices`
 * kind: submitted or cancelled ones, with `outstanding_amount` as the open amount. The order is
 * the shop order in `po_no` (the Sales Order's Customer's Purchase Order, which ERPNext copies onto
 * the invoice made from it).
 */
export const SALES_INVOICE_FIELDS = [
  "name",
  "customer",
  "posting_date",
  "due_date",
  "grand_total",
  "outstanding_amount",
  "currency",
  "status",
  "is_return",
  "po_no",
  "docstatus",
];

const money = (v: number): string => String(Math.round(v * 1e6) / 1e6);

/**
 * The status from the figures rather than ERPNext's `status` label, which mixes payment and due
 * date ("Overdue", "Partly Paid and Discounted", "Credit Note Issued", "Return", …): the edge
 * computes overdue itself from the due date.
 */
function statusOf(d: ErpDoc, total: number, open: number): InvoiceStatus {
  if (d.docstatus === 2 || d.status === "Cancelled") return "cancelled";
  if (open === 0) return "paid";
  return Math.abs(open) < Math.abs(total) ? "partial" : "open";
}

export function mapSalesInvoice(d: ErpDoc): Mapped<InvoiceRow> {
  const number = str(d.name);
  const ref = `Sales Invoice/${number ?? "?"}`;
  const customer = str(d.customer);
  const issuedAt = str(d.posting_date)?.slice(0, 10);
  const currency = str(d.currency);
  const version = frappeTime(d.modified);
  const total = num(d.grand_total);
  const open = num(d.outstanding_amount);
  if (!number || !customer || !issuedAt || !currency || version === undefined || total === undefined || open === undefined)
    return fail(ref, "invalid_record", "The Sales Invoice lacks a customer, posting date, currency, total or outstanding amount");
  const dueAt = str(d.due_date)?.slice(0, 10);
  const orderRef = str(d.po_no);
  return {
    ok: true,
    row: {
      number,
      customer,
      kind: d.is_return === 1 ? "credit_note" : "invoice",
      orderRefs: orderRef ? [orderRef] : [],
      issuedAt,
      ...(dueAt ? { dueAt } : {}),
      currency,
      // A credit note's figures are negative in ERPNext; the edge shows amounts, the kind says which way.
      total: money(Math.abs(total)),
      openAmount: money(Math.abs(open)),
      status: statusOf(d, total, open),
      pdf: d.docstatus === 1,
      erpId: number,
      version,
    },
  };
}

/**
 * The invoice's PDF in the doctype's default print format (or the one set), from Frappe's
 * `frappe.utils.print_format.download_pdf`. A non-PDF answer is a permanent error.
 */
export async function erpNextInvoicePdf(
  client: ErpNextClient,
  _s: ErpNextSettings,
  invoice: { number: string; erpId?: string },
): Promise<Uint8Array<ArrayBuffer> | undefined> {
  let res: Response;
  try {
    res = await client.download("frappe.utils.print_format.download_pdf", { doctype: "Sales Invoice", name: invoice.erpId ?? invoice.number });
  } catch (e) {
    // DoesNotExistError: ERPNext has no such invoice (any more).
    if (e instanceof RemoteError && e.code === "http_404") return undefined;
    throw e;
  }
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (!(res.headers.get("content-type") ?? "").startsWith("application/pdf"))
    throw new RemoteError(
      "erpnext_pdf_failed",
      `ERPNext answered ${res.headers.get("content-type") ?? "no content type"} for the PDF of ${invoice.number}, not a PDF`,
      false,
    );
  return bytes;
}
