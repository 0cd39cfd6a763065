import { statusLabel } from "./format";

/** A list row's compact badge: available stock for a product, ERP status for an order. */
export function Badge({ label, tone, title }: { label: string; tone: string; title: string }) {
  return (
    <span class={`badge ${tone}`} title={title} data-backroom="badge">
      {statusLabel(label)}
    </span>
  );
}

export function ErrorBadge({ message }: { message: string }) {
  return (
    <span class="badge failed" title={message} data-backroom="badge-error">
      Backroom: error
    </span>
  );
}
