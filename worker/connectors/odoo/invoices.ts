import { z } from "zod";
import type { InvoiceRow, InvoiceStatus } from "../../contract/account";
import type { OdooSettings } from "../../contract/connectors";
import { RemoteError } from "../errors";
import { outboundFetch } from "../../outbound/fetch";
import { connectorFetch, type Patience, TIMEOUT_MS } from "../http";
import { fail, type Mapped, split } from "../mapped";
import type { PullPage } from "../pull";
import type { OdooClient, OdooRecord } from "./client";
import { changedSince } from "./cursor";
import { m2o, num, text } from "./map";
import { shopOrderRef } from "./order-ref";

/**
 * Customer invoices and credit notes: posted (or cancelled) `account.move` records of type
 * `out_invoice` / `out_refund`, as the `invoices` kind. The customer is the invoice's commercial
 * partner (the company), whose id is the customer's id in the `customers` stream; the orders are
 * the shop orders among the sale orders named in `invoice_origin`. Captures: odoo-captured/<v>/account.
 */
export const INVOICE_FIELDS = [
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
  "write_date",
];

export const INVOICES: unknown[] = [
  ["move_type", "in", ["out_invoice", "out_refund"]],
  ["state", "in", ["posted", "cancel"]],
];

/** Odoo's `payment_state` (16–18): `in_payment` is paid but not yet reconciled with the bank, `reversed` credited in full. */
const PAYMENT_STATE: Record<string, InvoiceStatus> = {
  not_paid: "open",
  partial: "partial",
  in_payment: "paid",
  paid: "paid",
  reversed: "paid",
  invoicing_legacy: "paid",
};

/** A money figure as the contract writes it: Odoo answers floats (138.0 → "138", 87.5 → "87.5"). */
const money = (v: unknown): string => String(Math.round((num(v) ?? 0) * 1_000_000) / 1_000_000);
const isoDate = (v: unknown): string | undefined => {
  const d = text(v);
  return d && /^\d{4}-\d\d-\d\d$/.test(d) ? d : undefined;
};

export function mapInvoice(r: OdooRecord, orderRefsBySale: ReadonlyMap<string, string>, version: number): Mapped<InvoiceRow> {
  const ref = `account.move/${r.id}`;
  const number = text(r.name);
  const customer = m2o(r.commercial_partner_id)?.id;
  const currency = m2o(r.currency_id)?.name;
  const issuedAt = isoDate(r.invoice_date);
  if (!number || number === "/") return fail(ref, "no_number", "The invoice has no number (not posted)");
  if (customer === undefined) return fail(ref, "no_customer", "The invoice has no customer");
  if (!currency || !issuedAt) return fail(ref, "invalid_record", "The invoice has no currency or invoice date");
  const dueAt = isoDate(r.invoice_date_due);
  const orderRefs = [
    ...new Set(
      (text(r.invoice_origin) ?? "")
        .split(",")
        .map((s) => orderRefsBySale.get(s.trim()))
        .filter((o): o is string => o !== undefined),
    ),
  ];
  return {
    ok: true,
    row: {
      number,
      customer: String(customer),
      kind: r.move_type === "out_refund" ? "credit_note" : "invoice",
      orderRefs,
      issuedAt,
      ...(dueAt ? { dueAt } : {}),
      currency,
      total: money(r.amount_total),
      openAmount: money(r.amount_residual),
      status: r.state === "cancel" ? "cancelled" : (PAYMENT_STATE[String(r.payment_state)] ?? "open"),
      pdf: r.state === "posted",
      erpId: String(r.id),
      version,
    },
  };
}

/** The shop orders of the sale orders named in the invoices' origins ("S00025" or "S00025, S00026"). */
async function shopOrdersOf(client: OdooClient, invoices: readonly OdooRecord[]): Promise<Map<string, string>> {
  const names = [...new Set(invoices.flatMap((r) => (text(r.invoice_origin) ?? "").split(",").map((s) => s.trim())))].filter((n) => n !== "");
  const out = new Map<string, string>();
  if (names.length === 0) return out;
  for (const so of await client.searchRead("sale.order", [["name", "in", names]], { fields: ["name", "origin", "client_order_ref"] })) {
    const orderRef = shopOrderRef(so);
    const name = text(so.name);
    if (orderRef && name) out.set(name, orderRef);
  }
  return out;
}

/** The invoices stream: customer invoices and credit notes changed since the cursor (write_date, see cursor.ts). */
export async function* invoicePages(client: OdooClient, cursor: string | undefined): AsyncGenerator<PullPage> {
  for await (const page of changedSince(client, "account.move", INVOICES, INVOICE_FIELDS, cursor)) {
    const orders = await shopOrdersOf(client, page.records);
    const readAt = Date.now();
    yield {
      ...split(
        "invoices",
        page.records.map((r) => mapInvoice(r, orders, readAt)),
        (i) => `account.move/${page.records[i]?.id}`,
      ),
      fetched: page.records.length,
      cursor: page.cursor,
    };
  }
}

const Datas = z.object({ datas: z.string() });
const b64 = (s: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

/**
 * The invoice's PDF as Odoo renders it. First the copy Odoo keeps (an `ir.attachment` named
 * "INV_2026_00005.pdf": Odoo 16 saves the printed report, 17 and 18 what "Send & Print" made),
 * read over the API like everything else; else Odoo's invoice report (`/report/pdf/
 * account.report_invoice/<id>`), which Odoo serves only to a web session: that login takes the
 * user's password, not an API key (Odoo accepts API keys for RPC only). Odoo answers its error
 * page when it cannot render (no wkhtmltopdf): a permanent error naming Odoo's reason.
 */
export async function odooInvoicePdf(
  client: OdooClient,
  s: OdooSettings,
  patience: Patience,
  invoice: { number: string; erpId?: string },
): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const id = Number(invoice.erpId);
  if (!Number.isInteger(id) || id <= 0) return undefined;
  const [kept] = await client.searchRead(
    "ir.attachment",
    [
      ["res_model", "=", "account.move"],
      ["res_id", "=", id],
      ["name", "=", `${invoice.number.replaceAll("/", "_")}.pdf`],
      "|",
      ["res_field", "=", false],
      ["res_field", "=", "invoice_pdf_report_file"],
    ],
    { fields: ["datas"], limit: 1, order: "id desc" },
  );
  const datas = Datas.safeParse(kept);
  if (datas.success) return b64(datas.data.datas);
  const base = s.url.replace(/\/$/, "");
  const auth = await connectorFetch(
    `${base}/web/session/authenticate`,
    {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", method: "call", id: 1, params: { db: s.db, login: s.login ?? "admin", password: s.apiKey } }),
    },
    patience,
  );
  const session = /session_id=([^;]+)/.exec(auth.headers.get("set-cookie") ?? "")?.[1];
  const answer = z.object({ result: z.object({ uid: z.number() }).loose() }).safeParse(await auth.json().catch(() => undefined));
  if (!answer.success || !session)
    throw new RemoteError(
      "odoo_pdf_needs_session",
      `Odoo keeps no PDF of ${invoice.number} and refused a web session for "${s.login ?? "admin"}": Odoo renders invoice reports for a signed-in user only, and an API key signs in over RPC only. Print or "Send & Print" the invoice once in Odoo, or give the connector the user's password`,
      false,
    );
  // Not connectorFetch: Odoo's error page (400) names its reason deep in the page, past what an error keeps.
  const res = await outboundFetch(patience.fetch ?? fetch, `${base}/report/pdf/account.report_invoice/${id}`, {
    headers: { cookie: `session_id=${session}` },
    signal: AbortSignal.timeout(TIMEOUT_MS),
  }).catch((e: unknown) => {
    throw e instanceof RemoteError ? e : new RemoteError("network_error", `Odoo: ${e instanceof Error ? e.message : String(e)}`, true);
  });
  if (res.status >= 500 || res.status === 429) {
    await res.body?.cancel();
    throw new RemoteError("remote_error", `Odoo answered ${res.status} for the PDF of ${invoice.number}`, true);
  }
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (res.ok && (res.headers.get("content-type") ?? "").startsWith("application/pdf")) return bytes;
  // Odoo answers 400 with its error page when the report cannot be rendered (e.g. no wkhtmltopdf).
  const reason = /<pre>([^<]*)<\/pre>/.exec(new TextDecoder().decode(bytes))?.[1]?.trim().slice(0, 300);
  throw new RemoteError(
    "odoo_pdf_failed",
    `Odoo cannot render the PDF of ${invoice.number}: ${reason ?? `HTTP ${res.status}, ${res.headers.get("content-type") ?? "no content type"}`}`,
    false,
  );
}
