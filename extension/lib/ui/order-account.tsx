import type { StaffOrder } from "../../../worker/contract";
import { statusLabel, when } from "./format";

/**
 * The order's invoices (open amount, due, overdue in red) and returns (the ERP's RMA and its status)
 * in the order panel (issue 13). Nothing when the ERP has pushed neither, or the edge is older.
 */
export function OrderAccount({ order }: { order: StaffOrder }) {
  const invoices = order.invoices ?? [];
  const returns = order.returns ?? [];
  if (invoices.length === 0 && returns.length === 0) return null;
  const money = (amount: string, currency: string) => `${amount} ${currency}`;
  return (
    <details open data-section="account">
      <summary>
        Invoices ({invoices.length}) · Returns ({returns.length})
      </summary>
      {invoices.length > 0 && (
        <ul data-field="invoices">
          {invoices.map((i) => (
            <li key={i.number} data-invoice={i.number} data-status={i.status}>
              {i.kind === "credit_note" ? "Credit note" : "Invoice"} {i.number} · <span class={`badge ${i.status}`}>{statusLabel(i.status)}</span> ·{" "}
              {money(i.total, i.currency)}
              {i.status === "open" || i.status === "partial" ? (
                <span class={i.overdue ? "bad" : "muted"} data-field="open">
                  {" "}
                  · open {money(i.openAmount, i.currency)}
                  {i.dueAt ? `${i.overdue ? ", overdue since" : ", due"} ${when(i.dueAt)}` : ""}
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {returns.length > 0 && (
        <ul data-field="returns">
          {returns.map((r) => (
            <li key={r.returnRef} data-return={r.returnRef} data-status={r.status}>
              Return {r.rmaNumber ?? r.returnRef} · <span class={`badge ${r.status}`}>{statusLabel(r.status)}</span> ·{" "}
              {r.lines.map((l) => `${l.qty} × ${l.sku}`).join(", ")} <span class="muted">{when(r.requestedAt)}</span>
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}
