import { batch, type ReadonlySignal, useSignal, useSignalEffect } from "@preact/signals";
import { browser } from "wxt/browser";
import type { AuditSummary, SyncHealth } from "../../../worker/contract";
import type { Failure, ProductView } from "../messages";
import { send } from "../send";
import { readSettings, type ShopSettings } from "../settings";
import { qty, when } from "./format";

/** Reloads whenever the selected shop changes. */
function Health({ shop }: { shop: ReadonlySignal<string> }) {
  const answer = useSignal<SyncHealth | null | Failure["error"] | undefined>(undefined);
  useSignalEffect(() => {
    answer.value = undefined;
    void send({ type: "syncHealth", shop: shop.value }).then((r) => {
      answer.value = r.ok ? r.data : r.error;
    });
  });
  const health = answer.value;
  if (health === undefined) return <p class="muted">Sync health: loading…</p>;
  if (health === null) return <p class="muted">Sync health: this edge does not report order deliveries yet.</p>;
  if ("code" in health) return <p class="error">Sync health: {health.message}</p>;
  return (
    <p data-field="sync" class={health.failed > 0 ? "error" : "ok"}>
      Sync: {qty(health.pending)} pending, {qty(health.retrying)} retrying, {qty(health.failed)} failed
      {health.oldestAgeSeconds > 0 ? ` · oldest waiting ${qty(health.oldestAgeSeconds)} s` : ""}
    </p>
  );
}

/** The shop's latest configuration changes and replays (the staff audit summary): who, what, when. */
function RecentChanges({ shop }: { shop: ReadonlySignal<string> }) {
  const answer = useSignal<AuditSummary | null | Failure["error"] | undefined>(undefined);
  useSignalEffect(() => {
    answer.value = undefined;
    void send({ type: "audit", shop: shop.value }).then((r) => {
      answer.value = r.ok ? r.data : r.error;
    });
  });
  const log = answer.value;
  if (log === undefined || log === null) return null;
  if ("code" in log) return <p class="muted">Recent changes: {log.message}</p>;
  if (log.entries.length === 0) return <p class="muted">Recent changes: none</p>;
  return (
    <section data-field="audit">
      <h2>Recent changes</h2>
      <ul>
        {log.entries.slice(0, 5).map((e) => (
          <li key={`${e.at}-${e.action}-${e.target}`}>
            <span class="muted">{when(e.at)}</span> {e.actorName}: {e.action.replace(/[._]/g, " ")} {e.target}
            {e.fields.length > 0 ? <span class="muted"> ({e.fields.join(", ")})</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** SKU search across one configured shop, that shop's sync health and its recent changes. */
export function Popup() {
  const configured = useSignal<ShopSettings[] | undefined>(undefined);
  const shop = useSignal("");
  const sku = useSignal("");
  const found = useSignal<ProductView | Failure["error"] | undefined>(undefined);
  useSignalEffect(() => {
    void readSettings().then((s) => {
      batch(() => {
        configured.value = s.shops;
        shop.value = s.shops[0]?.id ?? "";
      });
    });
  });
  const shops = configured.value;
  const result = found.value;
  if (!shops) return null;
  if (shops.length === 0) {
    return (
      <main>
        <p>No shop configured yet.</p>
        <button type="button" onClick={() => void browser.runtime.openOptionsPage()}>
          Open options
        </button>
      </main>
    );
  }
  const search = async (e: Event) => {
    e.preventDefault();
    if (!sku.value) return;
    const r = await send({ type: "search", shop: shop.value, sku: sku.value });
    found.value = r.ok ? r.data : r.error;
  };
  return (
    <main>
      {shops.length > 1 ? (
        <select
          value={shop}
          onChange={(e) => {
            shop.value = e.currentTarget.value;
          }}
          aria-label="Shop"
        >
          {shops.map((s) => (
            <option key={s.id} value={s.id}>
              {s.shopId} · {new URL(s.edgeUrl).host}
            </option>
          ))}
        </select>
      ) : (
        <h1>{shops[0]?.shopId}</h1>
      )}
      <form onSubmit={search}>
        <input
          name="sku"
          placeholder="SKU"
          value={sku}
          onInput={(e) => {
            sku.value = e.currentTarget.value.trim();
          }}
        />
        <button type="submit">Search</button>
      </form>
      {result === undefined ? null : "code" in result ? (
        <p class="error">{result.message}</p>
      ) : (
        <table data-field="search">
          <thead>
            <tr>
              <th>{result.product.sku}</th>
              <th>On hand</th>
              <th>Available</th>
            </tr>
          </thead>
          <tbody>
            {result.product.warehouses.map((w) => (
              <tr key={w.code}>
                <td>{w.name}</td>
                <td>{qty(w.onHand)}</td>
                <td>{qty(w.available)}</td>
              </tr>
            ))}
            <tr>
              <td>Total</td>
              <td>{qty(result.product.warehouses.reduce((s, w) => s + w.onHand, 0))}</td>
              <td>{qty(result.product.available)}</td>
            </tr>
          </tbody>
        </table>
      )}
      {shop.value ? <Health shop={shop} /> : null}
      {shop.value ? <RecentChanges shop={shop} /> : null}
    </main>
  );
}
