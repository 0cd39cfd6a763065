import { z } from "zod";
import { InvoiceKind, InvoiceStatus, type OrderInvoice, type OrderReturn, ReturnLine, ReturnStatus } from "../contract";
import { isOverdue } from "./invoices";

/**
 * What staff see of an order's money and returns (issue 13): the ERP's invoices naming it (open
 * first, then newest) and its returns (newest first), whoever the customer is. Staff of the shop only.
 */
export async function orderDocuments(
  db: D1Database,
  shop: string,
  orderRef: string,
  now: number,
): Promise<{ invoices: OrderInvoice[]; returns: OrderReturn[] }> {
  const [inv, ret] = await db.batch([
    db
      .prepare(
        `SELECT i.number, i.kind, i.status, i.currency, i.total, i.open_amount, i.due_at FROM invoices i, json_each(i.order_refs) j
         WHERE i.shop_id = ? AND j.value = ? ORDER BY i.status IN ('open', 'partial') DESC, i.issued_at DESC LIMIT 50`,
      )
      .bind(shop, orderRef),
    db
      .prepare(
        "SELECT return_ref, rma_number, status, lines, requested_at FROM account_returns WHERE shop_id = ? AND order_ref = ? ORDER BY requested_at DESC LIMIT 50",
      )
      .bind(shop, orderRef),
  ]);
  const invoices = (inv?.results ?? []).map((raw): OrderInvoice => {
    const r = z
      .object({
        number: z.string(),
        kind: InvoiceKind,
        status: InvoiceStatus,
        currency: z.string(),
        total: z.string(),
        open_amount: z.string(),
        due_at: z.number().nullable(),
      })
      .parse(raw);
    const dueAt = r.due_at === null ? undefined : new Date(r.due_at).toISOString();
    return {
      number: r.number,
      kind: r.kind,
      status: r.status,
      currency: r.currency,
      total: r.total,
      openAmount: r.open_amount,
      ...(dueAt ? { dueAt } : {}),
      overdue: isOverdue({ status: r.status, dueAt }, now),
    };
  });
  const returns = (ret?.results ?? []).map((raw): OrderReturn => {
    const r = z
      .object({ return_ref: z.string(), rma_number: z.string().nullable(), status: ReturnStatus, lines: z.string(), requested_at: z.number() })
      .parse(raw);
    return {
      returnRef: r.return_ref,
      ...(r.rma_number ? { rmaNumber: r.rma_number } : {}),
      status: r.status,
      lines: z.array(ReturnLine).parse(JSON.parse(r.lines)),
      requestedAt: new Date(r.requested_at).toISOString(),
    };
  });
  return { invoices, returns };
}
