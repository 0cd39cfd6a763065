import { useSignal } from "@preact/signals";
import type { SyncDelivery } from "../../../worker/contract";
import type { OrderView } from "../messages";
import { statusLabel, trackingHref, when } from "./format";

export interface OrderPanelProps {
  view: OrderView;
  /** Asks the background to replay one delivery; answers an error message or undefined. */
  onReplay: (deliveryId: string) => Promise<string | undefined>;
}

function Delivery({ d, onReplay }: { d: SyncDelivery; onReplay: OrderPanelProps["onReplay"] }) {
  // Disabled while the replay is asked for, and for good once it is queued; a failure allows a retry.
  const busy = useSignal(false);
  const label = useSignal("Replay");
  const replay = async () => {
    busy.value = true;
    const error = await onReplay(d.id);
    label.value = error ? `Replay failed: ${error}` : "Replay queued";
    if (error) busy.value = false;
  };
  return (
    <li data-delivery={d.id}>
      <span class={`badge ${d.status}`}>{statusLabel(d.status)}</span> {d.event} · {d.attempts} attempt{d.attempts === 1 ? "" : "s"} · {when(d.updatedAt)}
      {d.lastError ? <div class="error">{d.lastError}</div> : null}
      {d.status === "failed" || d.status === "retrying" ? (
        <button type="button" disabled={busy} onClick={replay}>
          {label}
        </button>
      ) : null}
    </li>
  );
}

export function OrderPanel({ view, onReplay }: OrderPanelProps) {
  const o = view.order;
  return (
    <section class="panel" data-backroom="order" aria-label="Backroom: ERP order status">
      <h2>
        Backroom <small>{o.orderNumber ?? o.orderRef}</small>
        <span class="status" data-field="status">
          {statusLabel(o.status)}
        </span>
      </h2>
      <dl class="kv">
        <dt>ERP ref</dt>
        <dd data-field="erpRef">{o.erpRef ?? "not yet acknowledged by the ERP"}</dd>
        <dt>Last update</dt>
        <dd>{when(o.updatedAt)}</dd>
      </dl>
      <h3>Timeline</h3>
      <ol class="timeline" data-field="timeline">
        {o.timeline.map((t) => (
          <li key={t.status}>
            {statusLabel(t.status)} <span class="muted">{when(t.at)}</span>
          </li>
        ))}
      </ol>
      <h3>Shipments</h3>
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
      <h3>Deliveries to the ERP</h3>
      {view.deliveries === undefined ? (
        <p class="muted" data-field="deliveries">
          This edge does not track deliveries yet.
        </p>
      ) : view.deliveries.length === 0 ? (
        <p class="muted" data-field="deliveries">
          No deliveries to the ERP yet.
        </p>
      ) : (
        <ul data-field="deliveries">
          {view.deliveries.map((d) => (
            <Delivery key={d.id} d={d} onReplay={onReplay} />
          ))}
        </ul>
      )}
    </section>
  );
}
