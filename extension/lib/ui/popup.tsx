import { useEffect, useState } from "preact/hooks";
import { browser } from "wxt/browser";
import type { SyncHealth } from "../../../worker/contract";
import type { Failure, ProductView } from "../messages";
import { send } from "../send";
import { readSettings, type ShopSettings } from "../settings";
import { qty } from "./format";

function Health({ shop }: { shop: string }) {
  const [health, setHealth] = useState<SyncHealth | null | Failure["error"] | undefined>(undefined);
  useEffect(() => {
    setHealth(undefined);
    void send({ type: "syncHealth", shop }).then((r) => setHealth(r.ok ? r.data : r.error));
  }, [shop]);
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

/** SKU search across one configured shop, and that shop's sync health. */
export function Popup() {
  const [shops, setShops] = useState<ShopSettings[] | undefined>(undefined);
  const [shop, setShop] = useState("");
  const [sku, setSku] = useState("");
  const [result, setResult] = useState<ProductView | Failure["error"] | undefined>(undefined);
  useEffect(() => {
    void readSettings().then((s) => {
      setShops(s.shops);
      setShop(s.shops[0]?.id ?? "");
    });
  }, []);
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
    if (!sku) return;
    const r = await send({ type: "search", shop, sku });
    setResult(r.ok ? r.data : r.error);
  };
  return (
    <main>
      {shops.length > 1 ? (
        <select value={shop} onChange={(e) => setShop(e.currentTarget.value)} aria-label="Shop">
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
        <input name="sku" placeholder="SKU" value={sku} onInput={(e) => setSku(e.currentTarget.value.trim())} />
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
      {shop ? <Health shop={shop} /> : null}
    </main>
  );
}
