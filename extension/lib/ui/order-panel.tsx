import { useSignal } from "@preact/signals";
import type { ComponentChildren } from "preact";
import type { SyncDelivery } from "../../../worker/contract";
import { erpLink } from "../erp-links";
import type { OrderView } from "../messages";
import { eventLabel, statusLabel, trackingHref, when } from "./format";
import { OrderAccount } from "./order-account";

export interface OrderPanelProps {
  view: OrderView;
  /** Asks the background to replay one delivery; answers an error message or undefined. */
  onReplay: (deliveryId: string) => Promise<string | undefined>;
  footer?: ComponentChildren;
}

const attempts = (n: number) => `${n} attempt${n === 1 ? "" : "s"}`;

/** The delivery that says most about the order: a failing one first, then one still retrying, then the newest. */
export function worstDelivery(deliveries: readonly SyncDelivery[]): SyncDelivery | undefined {
  return deliveries.find((d) => d.status === "failed") ?? deliveries.find((d) => d.status === "retrying") ?? deliveries[0];
}

function Delivery({ d, onReplay }: { d: SyncDelivery; onReplay: OrderPanelProps["onReplay"] }) {
  // Keyed by id and attempt count (see the list): a new attempt's outcome replaces this row's state.
  const busy = useSignal(false);
  const note = useSignal<string | undefined>(undefined);
  const replay = async () => {
    busy.value = true;
    const error = await onReplay(d.id);
    note.value = error ? `Replay failed: ${error}` : "Replay queued: waiting for the ERP's answer…";
    if (error) busy.value = false;
  };
  return (
    <li data-delivery={d.id} data-status={d.status}>
      <span class={`badge ${d.status}`}>{statusLabel(d.status)}</span> {eventLabel(d.event)} · <span data-field="attempts">{attempts(d.attempts)}</span> ·{" "}
      {when(d.updatedAt)}
      {d.lastError ? <div class="error">{d.lastError}</div> : null}
      {d.status === "failed" || d.status === "retrying" ? (
        <div>
          <button type="button" disabled={busy} onClick={replay}>
            {busy.value ? "Replay queued" : "Replay"}
          </button>{" "}
          {note.value ? (
            <span class="muted" role="status" data-field="replayNote">
              {note}
            </span>
          ) : null}
        </div>
      ) : null}
      {d.history && d.history.length > 1 ? (
        <details data-field="history">
          <summary>Every attempt ({d.history.length})</summary>
          <ol>
            {d.history.map((h) => (
              <li key={h.attempt}>
                {statusLabel(h.outcome)} <span class="muted">{when(h.at)}</span>
                {h.error ? <div class="error">{h.error}</div> : null}
              </li>
            ))}
          </ol>
        </details>
      ) : null}
    </li>
  );
}

/** What the ERP side of an order looks like in one line: delivered, failing (red), retrying (amber), or not the shop's to deliver. */
function DeliverySummary({ view }: { view: OrderView }) {
  if (view.order.origin === "erp")
    return (
      <p class="muted" data-field="delivery">
        Created in the ERP: nothing to deliver to it.
      </p>
    );
  if (view.deliveries === undefined) return null;
  const worst = worstDelivery(view.deliveries);
  if (!worst)
    return (
      <p class="muted" data-field="delivery">
        Not sent to the ERP yet.
      </p>
    );
  if (worst.status === "failed")
    return (
      <p class="bad" data-field="delivery" data-tone="failed">
        Not in the ERP: delivery failed after {attempts(worst.attempts)}. Replay it below once the cause is fixed.
      </p>
    );
  if (worst.status === "retrying")
    return (
      <p class="warn" data-field="delivery" data-tone="retrying">
        Not in the ERP yet: retrying ({attempts(worst.attempts)} so far).
      </p>
    );
  return (
    <p class="muted" data-field="delivery" data-tone={worst.status}>
      {worst.status === "delivered" ? "Delivered to the ERP." : "Being sent to the ERP…"}
    </p>
  );
}

export function OrderPanel({ view, onReplay, footer }: OrderPanelProps) {
  const o = view.order;
  const deliveries = view.deliveries ?? [];
  const failing = deliveries.some((d) => d.status === "failed" || d.status === "retrying");
  const erpRefHref = o.erpRef ? erpLink(view.erp, { type: "salesOrder", name: o.erpRef, ...(o.erpId ? { erpId: o.erpId } : {}) }) : undefined;
  return (
    <section class="panel" data-backroom="order" aria-label="Backroom: ERP order status">
      <div class="head">
        <h2>Backroom</h2>
        <small>{o.orderNumber ?? o.orderRef}</small>
        <span class={`status ${o.status}`} data-field="status">
          {statusLabel(o.status)}
        </span>
      </div>
      <DeliverySummary view={view} />
      <dl class="kv">
        <dt>ERP ref</dt>
        <dd>
          {o.erpRef && erpRefHref ? (
            <a href={erpRefHref} target="_blank" rel="noopener noreferrer" data-field="erpRef" title="Open in the ERP">
              {o.erpRef}
            </a>
          ) : (
            <span data-field="erpRef">{o.erpRef ?? "not yet acknowledged by the ERP"}</span>
          )}
        </dd>
        <dt>Last update</dt>
        <dd>{when(o.updatedAt)}</dd>
      </dl>
      <details data-section="timeline">
        <summary>Timeline</summary>
        <ol class="timeline" data-field="timeline">
          {o.timeline.map((t) => (
            <li key={t.status}>
              {statusLabel(t.status)} <span class="muted">{when(t.at)}</span>
            </li>
          ))}
        </ol>
      </details>
      <details open={o.shipments.length > 0} data-section="shipments">
        <summary>Shipments ({o.shipments.length})</summary>
        {o.shipments.length === 0 ? (
          <p class="muted">None yet</p>
        ) : (
          <ul data-field="shipments">
            {o.shipments.map((s) => {
              const href = s.trackingUrl ? trackingHref(s.trackingUrl) : undefined;
              return (
                <li key={s.trackingNumber}>
                  {s.carrier}{" "}
                  {href ? (
                    <a href={href} target="_blank" rel="noopener noreferrer">
                      {s.trackingNumber}
                    </a>
                  ) : (
                    s.trackingNumber
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </details>
      <OrderAccount order={o} />
      {o.origin === "erp" && deliveries.length === 0 ? null : (
        <details open={failing} data-section="deliveries">
          <summary>Deliveries ({deliveries.length})</summary>
          {view.deliveries === undefined ? (
            <p class="muted" data-field="deliveries">
              This edge does not track deliveries yet.
            </p>
          ) : deliveries.length === 0 ? (
            <p class="muted" data-field="deliveries">
              None yet.
            </p>
          ) : (
            <ul data-field="deliveries">
              {deliveries.map((d) => (
                <Delivery key={`${d.id}-${d.attempts}-${d.status}`} d={d} onReplay={onReplay} />
              ))}
            </ul>
          )}
        </details>
      )}
      {footer}
    </section>
  );
}
