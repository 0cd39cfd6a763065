import { z } from "zod";
import { type AccountInvoice, type AccountSummary, InvoiceKind, InvoiceStatus } from "../contract";
import { add, subtract } from "../domain/decimal";
import type { Buyer } from "./buyer";

const Row = z.object({
  number: z.string(),
  kind: InvoiceKind,
  order_refs: z.string(),
  issued_at: z.number(),
  due_at: z.number().nullable(),
  currency: z.string(),
  total: z.string(),
  open_amount: z.string(),
  status: InvoiceStatus,
  pdf_available: z.number(),
});
const OrderRefs = z.array(z.string());

const isOpen = (status: string) => status === "open" || status === "partial";

/** Overdue: still (partly) open after its due date. */
export const isOverdue = (i: Pick<AccountInvoice, "status" | "dueAt">, now: number): boolean =>
  isOpen(i.status) && i.dueAt !== undefined && Date.parse(i.dueAt) < now;

const toInvoice = (r: z.infer<typeof Row>, now: number): AccountInvoice => {
  const dueAt = r.due_at === null ? undefined : new Date(r.due_at).toISOString();
  return {
    number: r.number,
    kind: r.kind,
    orderRefs: OrderRefs.parse(JSON.parse(r.order_refs)),
    issuedAt: new Date(r.issued_at).toISOString(),
    ...(dueAt ? { dueAt } : {}),
    currency: r.currency,
    total: r.total,
    openAmount: r.open_amount,
    status: r.status,
    overdue: isOverdue({ status: r.status, dueAt }, now),
    pdf: r.pdf_available > 0,
  };
};

const COLUMNS = "number, kind, order_refs, issued_at, due_at, currency, total, open_amount, status, pdf_available";

/** The buyer's invoices: open ones first (the earliest due first), then the rest, newest first. At most 200. */
export async function buyerInvoices(db: D1Database, shop: string, customer: string, now: number): Promise<AccountInvoice[]> {
  const { results } = await db
    .prepare(
      `SELECT ${COLUMNS} FROM invoices WHERE shop_id = ? AND customer_id = ?
       ORDER BY status IN ('open', 'partial') DESC, CASE WHEN status IN ('open', 'partial') THEN COALESCE(due_at, issued_at) END ASC, issued_at DESC, number
       LIMIT 200`,
    )
    .bind(shop, customer)
    .all();
  return results.map((raw) => toInvoice(Row.parse(raw), now));
}

/** One invoice, only if it is this buyer's (another buyer's number answers exactly as an unknown one). */
export async function buyerInvoice(
  db: D1Database,
  shop: string,
  customer: string,
  number: string,
  now: number,
): Promise<(AccountInvoice & { erpId?: string }) | undefined> {
  const raw = await db
    .prepare(`SELECT ${COLUMNS}, erp_id FROM invoices WHERE shop_id = ? AND customer_id = ? AND number = ?`)
    .bind(shop, customer, number)
    .first();
  if (!raw) return undefined;
  const erpId = z.object({ erp_id: z.string().nullable() }).parse(raw).erp_id;
  return { ...toInvoice(Row.parse(raw), now), ...(erpId ? { erpId } : {}) };
}

/** The account header: terms, limit and balance from the customer record; overdue from the open invoices. */
export async function accountSummary(db: D1Database, shop: string, buyer: Buyer, now: number): Promise<AccountSummary> {
  const { results } = await db
    .prepare("SELECT open_amount, due_at FROM invoices WHERE shop_id = ? AND customer_id = ? AND status IN ('open', 'partial') LIMIT 10000")
    .bind(shop, buyer.id)
    .all();
  let overdue = "0.00";
  for (const raw of results) {
    const r = z.object({ open_amount: z.string(), due_at: z.number().nullable() }).parse(raw);
    if (r.due_at !== null && r.due_at < now) overdue = add(overdue, r.open_amount);
  }
  const balance = buyer.balance ?? "0.00";
  return {
    company: buyer.company,
    currency: buyer.currency,
    ...(buyer.paymentTerms ? { paymentTerms: buyer.paymentTerms } : {}),
    ...(buyer.creditLimit !== undefined ? { creditLimit: buyer.creditLimit, creditAvailable: subtract(buyer.creditLimit, balance) } : {}),
    balance,
    overdue,
    openInvoices: results.length,
  };
}
