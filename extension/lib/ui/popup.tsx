import { batch, type ReadonlySignal, useSignal, useSignalEffect } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { browser } from "wxt/browser";
import type { AuditSummary, StaffSearchResult, SyncHealth } from "../../../worker/contract";
import { openLiveFeed } from "../content/live-feed";
import type { Failure, LiveState } from "../messages";
import { orderPageUrl } from "../pages";
import { send } from "../send";
import { readSettings, type ShopSettings, shopLabel } from "../settings";
import { ago, day, eventLabel, qty, statusLabel, when } from "./format";
import { useNow } from "./freshness";
import { LiveDot } from "./live-dot";

/** The shop's failing and retrying deliveries, each linked to its order in the admin, with bulk replay; re-read when orders change. */
function Failures({ shop, version }: { shop: ReadonlySignal<ShopSettings | undefined>; version: ReadonlySignal<number> }) {
  const answer = useSignal<SyncHealth | null | Failure["error"] | undefined>(undefined);
  const at = useSignal(Date.now());
  const outcome = useSignal<string | undefined>(undefined);
  const now = useNow();
  useSignalEffect(() => {
    const s = shop.value;
    void version.value;
    if (!s) return;
    void send({ type: "syncHealth", shop: s.id }).then((r) => {
      answer.value = r.ok ? r.data : r.error;
      at.value = Date.now();
    });
  });
  const health = answer.value;
  const s = shop.value;
  if (health === undefined || !s) return <p class="muted">Deliveries: loading…</p>;
  if (health === null) return <p class="muted">Deliveries: this edge does not report order deliveries yet.</p>;
  if ("code" in health) return <p class="error">Deliveries: {health.message}</p>;
  const failed = health.failures.filter((d) => d.status === "failed");
  const replayAll = async () => {
    outcome.value = `Replaying ${failed.length}…`;
    const results = await Promise.all(failed.map((d) => send({ type: "replayInShop", shop: s.id, deliveryId: d.id })));
    const bad = results.filter((r) => !r.ok).length;
    outcome.value =
      bad === 0 ? `${failed.length} queued again: outcomes appear here as they arrive.` : `${failed.length - bad} queued, ${bad} could not be queued.`;
  };
  return (
    <section aria-labelledby="failures-h">
      <h2 id="failures-h">Deliveries to the ERP</h2>
      <p data-field="sync" class={health.failed > 0 ? "error" : health.retrying > 0 ? "warn" : "ok"}>
        {qty(health.pending)} pending, {qty(health.retrying)} retrying, {qty(health.failed)} failed
        {health.oldestAgeSeconds > 0 ? ` · oldest waiting ${qty(health.oldestAgeSeconds)} s` : ""}
      </p>
      <p class="muted" data-field="updated">
        Updated {ago(at.value, now)}
      </p>
      {health.failures.length > 0 ? (
        <ul class="failures" data-field="failures">
          {health.failures.map((d) => (
            <li key={`${d.id}-${d.attempts}-${d.status}`} data-delivery={d.id} data-status={d.status}>
              <span class={`badge ${d.status}`}>{statusLabel(d.status)}</span>{" "}
              <a href={orderPageUrl(s.adminUrl, d.orderRef)} target="_blank" rel="noopener noreferrer">
                Order {d.orderRef}
              </a>{" "}
              · {eventLabel(d.event)} · {qty(d.attempts)} attempt{d.attempts === 1 ? "" : "s"} · <span class="muted">{when(d.updatedAt)}</span>
              {d.lastError ? <div class="error">{d.lastError}</div> : null}
            </li>
          ))}
        </ul>
      ) : null}
      {failed.length > 0 ? (
        <button type="button" class="primary" onClick={replayAll}>
          Replay all failed ({failed.length})
        </button>
      ) : null}
      {outcome.value ? (
        <p role="status" class="muted" data-field="replayOutcome">
          {outcome}
        </p>
      ) : null}
    </section>
  );
}

/** The shop's latest configuration changes and replays (the staff audit summary): who, what, when. */
function RecentChanges({ shop }: { shop: ReadonlySignal<ShopSettings | undefined> }) {
  const answer = useSignal<AuditSummary | null | Failure["error"] | undefined>(undefined);
  useSignalEffect(() => {
    const s = shop.value;
    answer.value = undefined;
    if (!s) return;
    void send({ type: "audit", shop: s.id }).then((r) => {
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

/** Search by barcode, whole or partial SKU, or name: product, available stock and the next incoming. */
function Search({ shop }: { shop: ReadonlySignal<ShopSettings | undefined> }) {
  const q = useSignal("");
  const found = useSignal<StaffSearchResult | Failure["error"] | undefined>(undefined);
  const search = async (e: Event) => {
    e.preventDefault();
    const s = shop.value;
    if (!s || q.value.length < 2) return;
    const r = await send({ type: "find", shop: s.id, q: q.value });
    found.value = r.ok ? r.data : r.error;
  };
  const result = found.value;
  return (
    <section aria-labelledby="search-h">
      <h2 id="search-h">Find a product</h2>
      <form onSubmit={search} class="row">
        <label for="q" class="sr-only">
          Barcode, SKU or name
        </label>
        <input
          id="q"
          name="q"
          placeholder="Barcode, SKU or part of it"
          value={q}
          onInput={(e) => {
            q.value = e.currentTarget.value.trim();
          }}
        />
        <button type="submit">Search</button>
      </form>
      {result === undefined ? null : "code" in result ? (
        <p class="error">{result.message}</p>
      ) : result.items.length === 0 ? (
        <p class="muted" data-field="search">
          Nothing found.
        </p>
      ) : (
        <table data-field="search">
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col">Available</th>
              <th scope="col">Next incoming</th>
            </tr>
          </thead>
          <tbody>
            {result.items.map((i) => (
              <tr key={i.sku} data-sku={i.sku}>
                <th scope="row">
                  {i.name}
                  <div class="muted">
                    {i.sku}
                    {i.gtin ? ` · ${i.gtin}` : ""}
                  </div>
                </th>
                <td data-field="available">{qty(i.available)}</td>
                <td data-field="nextArrival">{i.nextArrival ? `${qty(i.nextArrival.qty)} · ${day(i.nextArrival.eta)}` : "none"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The toolbar popup: which shop (with its live state), its failing deliveries, and product search. */
export function Popup() {
  const configured = useSignal<ShopSettings[] | undefined>(undefined);
  const selected = useSignal("");
  const shop = useSignal<ShopSettings | undefined>(undefined);
  const states = useSignal<Record<string, LiveState>>({});
  // Bumped when the edge says orders changed: the failures list re-reads.
  const version = useSignal(0);
  useSignalEffect(() => {
    void readSettings().then((s) => {
      batch(() => {
        configured.value = s.shops;
        selected.value = s.shops[0]?.id ?? "";
      });
    });
    void send({ type: "liveStatus" }).then((r) => {
      if (r.ok) states.value = r.data;
    });
  });
  useSignalEffect(() => {
    shop.value = configured.value?.find((s) => s.id === selected.value);
  });
  useEffect(() => {
    const feed = openLiveFeed();
    const off = feed.subscribe((e) => {
      if (e.type === "status") states.value = { ...states.value, [e.shop]: e.status };
      else if (e.type === "orders" && e.shop === selected.value) version.value++;
    });
    return () => {
      off();
      feed.close();
    };
  }, []);
  const shops = configured.value;
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
  const current = shop.value;
  return (
    <main>
      <div class="row">
        {shops.length > 1 ? (
          <select
            value={selected}
            onChange={(e) => {
              selected.value = e.currentTarget.value;
            }}
            aria-label="Shop"
          >
            {shops.map((s) => (
              <option key={s.id} value={s.id}>
                {shopLabel(s)}
              </option>
            ))}
          </select>
        ) : (
          <h1>{current ? shopLabel(current) : ""}</h1>
        )}
        {current ? <LiveDot state={states.value[current.id]} /> : null}
      </div>
      <Failures shop={shop} version={version} />
      <Search shop={shop} />
      <RecentChanges shop={shop} />
    </main>
  );
}
