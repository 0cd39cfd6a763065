import type { StaffProduct } from "../../../worker/contract";
import type { Platform } from "../pages";
import { day, money, qty, statusLabel, when } from "./format";

const PLATFORM_NAMES: Record<Platform, string> = { shopify: "Shopify", woocommerce: "WooCommerce", bigcommerce: "BigCommerce", magento: "Magento" };

/** The list a "list price" is read from: one named like a list/retail price, else the first. */
export function listPrice(p: StaffProduct): { list: StaffProduct["priceLists"][number]; unitPrice: string } | undefined {
  const list = p.priceLists.find((l) => /^(list|retail|default|standard)/i.test(`${l.id} ${l.name}`)) ?? p.priceLists[0];
  const first = list?.breaks[0];
  return list && first ? { list, unitPrice: first.unitPrice } : undefined;
}

export function ProductPanel({ product: p, platform, platformStock }: { product: StaffProduct; platform: Platform; platformStock?: number }) {
  const total = (f: (w: StaffProduct["warehouses"][number]) => number) => p.warehouses.reduce((sum, w) => sum + f(w), 0);
  const incoming = p.warehouses.flatMap((w) => w.incoming.map((i) => ({ ...i, warehouse: w.name }))).sort((a, b) => a.eta.localeCompare(b.eta));
  const lp = listPrice(p);
  const mismatch = platformStock !== undefined && platformStock !== p.available;
  return (
    <section class="panel" data-backroom="product" aria-label="Backroom: ERP stock and prices">
      <h2>
        Backroom <small data-field="sku">{p.sku}</small>
        <span class="status" data-field="status">
          {statusLabel(p.status)}
        </span>
      </h2>
      {mismatch ? (
        <p class="warn" role="alert" data-field="mismatch">
          {PLATFORM_NAMES[platform]} shows {qty(platformStock)} in stock, Backroom's available is {qty(p.available)}.
        </p>
      ) : null}
      <table>
        <thead>
          <tr>
            <th>Warehouse</th>
            <th>On hand</th>
            <th>Committed</th>
            <th title="Taken by shop orders the ERP has not confirmed yet">Reserved</th>
            <th>Available</th>
          </tr>
        </thead>
        <tbody>
          {p.warehouses.map((w) => (
            <tr key={w.code} data-warehouse={w.code}>
              <td>{w.name}</td>
              <td data-field="onHand">{qty(w.onHand)}</td>
              <td data-field="committed">{qty(w.committed)}</td>
              <td data-field="reserved">{qty(w.reserved)}</td>
              <td data-field="available">{qty(w.available)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr data-warehouse="total">
            <td>Total{p.safetyStock > 0 ? ` (safety stock ${qty(p.safetyStock)} per warehouse)` : ""}</td>
            <td data-field="onHand">{qty(total((w) => w.onHand))}</td>
            <td data-field="committed">{qty(total((w) => w.committed))}</td>
            <td data-field="reserved">{qty(total((w) => w.reserved))}</td>
            <td data-field="available">{qty(p.available)}</td>
          </tr>
        </tfoot>
      </table>
      {incoming.length > 0 ? (
        <>
          <h3>Incoming</h3>
          <table data-field="incoming">
            <tbody>
              {incoming.map((i) => (
                <tr key={`${i.warehouse}-${i.eta}-${i.ref ?? ""}`}>
                  <td>{i.warehouse}</td>
                  <td>{qty(i.qty)}</td>
                  <td>ETA {day(i.eta)}</td>
                  <td>{i.ref ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      <h3>Cost and price</h3>
      <dl class="kv">
        <dt>Cost</dt>
        <dd data-field="cost">{p.cost !== undefined ? money(p.cost, p.currency) : "not pushed by the ERP"}</dd>
        {lp ? (
          <>
            <dt>List price</dt>
            <dd data-field="listPrice">
              {money(lp.unitPrice, lp.list.currency)} <span class="muted">({lp.list.name})</span>
            </dd>
            <dt>Margin</dt>
            <dd data-field="margin">{lp.list.margin ? `${money(lp.list.margin.amount, lp.list.currency)} (${lp.list.margin.percent} %)` : "—"}</dd>
          </>
        ) : null}
      </dl>
      {p.priceLists.length > 0 ? (
        <>
          <h3>Price lists</h3>
          <table data-field="priceLists">
            <thead>
              <tr>
                <th>List</th>
                <th>From qty</th>
                <th>Unit price</th>
                <th>Margin</th>
              </tr>
            </thead>
            <tbody>
              {p.priceLists.flatMap((l) =>
                l.breaks.map((b, i) => (
                  <tr key={`${l.id}-${b.minQty}`} data-list={l.id}>
                    <td>{i === 0 ? l.name : ""}</td>
                    <td>{qty(b.minQty)}</td>
                    <td>{money(b.unitPrice, l.currency)}</td>
                    <td>{i === 0 && l.margin ? `${l.margin.percent} %` : ""}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </>
      ) : null}
      <p class="muted" data-field="lastSync">
        Last ERP update: {p.lastSync ? when(p.lastSync) : "never"}
        {p.recentChanges[0] ? ` · last stock change ${when(p.recentChanges[0].at)} (${p.recentChanges[0].warehouse})` : ""}
      </p>
    </section>
  );
}
