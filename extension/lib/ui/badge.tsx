import type { StaffOrderBadge, StaffProductBadge } from "../../../worker/contract";
import { statusLabel } from "./format";

export interface BadgeLook {
  label: string;
  tone: string;
  title: string;
}

/**
 * A product row: available stock, toned by stock status (low stock amber, out of stock red); when
 * the row shows the platform's own stock and it differs, that mismatch (amber) says so first.
 */
export function productBadge(i: StaffProductBadge, platformStock?: number): BadgeLook {
  const label = i.status === "low_stock" ? `${i.available} available · low` : `${i.available} available`;
  const title = `${i.sku}: ${i.onHand} on hand, ${i.available} available (${statusLabel(i.status)})`;
  if (platformStock !== undefined && platformStock !== i.available)
    return { label: `${label} · shop shows ${platformStock}`, tone: "mismatch", title: `${title}; the shop's own stock says ${platformStock}` };
  return { label, tone: i.status, title };
}

/**
 * An order row: what the ERP knows of it. A delivery that failed is red and one still retrying
 * amber, whatever the order's status says: an order the ERP never received must not look received.
 */
export function orderBadge(i: StaffOrderBadge): BadgeLook {
  if (i.delivery === "failed")
    return { label: "ERP: delivery failed", tone: "failed", title: "The order did not reach the ERP: open it to see why and replay" };
  if (i.delivery === "retrying") return { label: "ERP: retrying", tone: "retrying", title: "Delivery to the ERP failed so far; the queue is retrying" };
  if (i.delivery === "pending") return { label: "ERP: sending", tone: "pending", title: "On its way to the ERP" };
  return { label: `ERP: ${statusLabel(i.status)}`, tone: i.status, title: i.erpRef ? `ERP ref ${i.erpRef}` : "Not yet acknowledged by the ERP" };
}

/** A list row's compact badge. */
export function Badge({ label, tone, title }: BadgeLook) {
  return (
    <span class={`badge ${tone}`} title={title} data-backroom="badge" data-tone={tone}>
      {label}
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
