import { useSignal } from "@preact/signals";
import type { ComponentChildren } from "preact";
import type { PromiseAnswer, StaffProduct, StaffStockPushResult } from "../../../worker/contract";
import { type ErpSystem, erpLink } from "../erp-links";
import { PLATFORM_NAMES, type Platform } from "../pages";
import { day, money, qty, statusLabel, when } from "./format";
import { margin } from "./margin";
import { PromiseCheck } from "./promise-check";

/** The list a "list price" is read from: one named like a list/retail price, else the first. */
export function listPrice(p: StaffProduct): { list: StaffProduct["priceLists"][number]; unitPrice: string } | undefined {
  const list = p.priceLists.find((l) => /^(list|retail|default|standard)/i.test(`${l.id} ${l.name}`)) ?? p.priceLists[0];
  const first = list?.breaks[0];
  return list && first ? { list, unitPrice: first.unitPrice } : undefined;
}

/** The price the margin is taken at: the platform's own price read from the page, else the ERP's list price. */
export function marginBasis(p: StaffProduct, platform: Platform, platformPrice: string | undefined) {
  if (platformPrice !== undefined) return { price: platformPrice, currency: p.currency, label: `at the ${PLATFORM_NAMES[platform]} price` };
  const lp = listPrice(p);
  return lp ? { price: lp.unitPrice, currency: lp.list.currency, label: `at the ERP list price (${lp.list.name})` } : undefined;
}

/** What the margin is taken on: the ERP's landed cost when it sends one (labelled so), else its cost. */
export function marginCost(p: StaffProduct): { amount: string; label?: string } | undefined {
  if (p.landedCost !== undefined) return { amount: p.landedCost, label: "on landed cost" };
  return p.cost !== undefined ? { amount: p.cost } : undefined;
}

export interface ProductPanelProps {
  product: StaffProduct;
  platform: Platform;
  /** The platform's own stock figure on the page, for the mismatch status. */
  platformStock?: number;
  /** The platform's own selling price on the page (a decimal string). */
  platformPrice?: string;
  /** The shop's ERP, for links to the item and its purchase orders there. */
  erp?: ErpSystem;
  /** Sections after the ERP's own (the forecast, issue 15). */
  extra?: ComponentChildren;
  /** The freshness line ("updated 3 s ago", Retry): the panel's last line. */
  footer?: ComponentChildren;
  /** Asks the edge to push the ERP's stock of a SKU to the platform now; answers the outcome or an error message. */
  onPushStock?: (sku: string) => Promise<StaffStockPushResult | string>;
  /** Asks the edge for the promise of a quantity of a SKU (issue 12); answers it or an error message. */
  onPromise?: (sku: string, qty: string) => Promise<PromiseAnswer | string>;
}

/** What a stock push did, in a line: what the platform was told, or why not. */
export function pushOutcome(r: StaffStockPushResult | string): { text: string; ok: boolean } {
  if (typeof r === "string") return { text: `Push failed: ${r}`, ok: false };
  if (r.error) return { text: `Not pushed: ${r.error.message}`, ok: false };
  // The run may end "partial" for other SKUs it took along; this SKU went through when the platform was told its quantities.
  if (r.told.length === 0) return { text: `Not pushed: the stock sync ended ${r.status} (see the connector runs)`, ok: false };
  const total = r.told.reduce((sum, t) => sum + t.qty, 0);
  const where = r.told.length > 1 ? ` across ${r.told.length} locations` : "";
  return { text: `Sent to the shop: ${qty(total)} available${where}. Reload the page to see it there.`, ok: true };
}

function PushStock({ sku, onPushStock }: { sku: string; onPushStock: NonNullable<ProductPanelProps["onPushStock"]> }) {
  const busy = useSignal(false);
  const outcome = useSignal<{ text: string; ok: boolean } | undefined>(undefined);
  const push = async () => {
    busy.value = true;
    outcome.value = pushOutcome(await onPushStock(sku));
    busy.value = false;
  };
  return (
    <>
      <button type="button" class="inline" disabled={busy} onClick={push}>
        {busy.value ? "Pushing…" : "Push ERP stock to the shop now"}
      </button>
      {outcome.value ? (
        <div role="status" class={outcome.value.ok ? "" : "error"} data-field="pushOutcome" data-ok={String(outcome.value.ok)}>
          {outcome.value.text}
        </div>
      ) : null}
    </>
  );
}

/** Text that links to the ERP's own record when the ERP has a page for it. */
function ErpLinked({ href, children, field }: { href: string | undefined; children: ComponentChildren; field?: string }) {
  return href ? (
    <a href={href} target="_blank" rel="noopener noreferrer" data-field={field} title="Open in the ERP">
      {children}
    </a>
  ) : (
    <span data-field={field}>{children}</span>
  );
}

/**
 * The staff view of one SKU: a compact summary first (available, next incoming, margin, ERP sync),
 * then collapsed sections. Fits a 280 px column: tables are fixed-layout and wrap, never scroll.
 */
export function ProductPanel({ product: p, platform, platformStock, platformPrice, erp, extra, footer, onPushStock, onPromise }: ProductPanelProps) {
  const total = (f: (w: StaffProduct["warehouses"][number]) => number) => p.warehouses.reduce((sum, w) => sum + f(w), 0);
  const incoming = p.warehouses.flatMap((w) => w.incoming.map((i) => ({ ...i, warehouse: w.name }))).sort((a, b) => a.eta.localeCompare(b.eta));
  const next = incoming[0];
  const basis = marginBasis(p, platform, platformPrice);
  const unitCost = marginCost(p);
  const m = basis && unitCost && basis.currency === p.currency ? margin(basis.price, unitCost.amount) : undefined;
  const mismatch = platformStock !== undefined && platformStock !== p.available;
  /** The column the shop's public availability is taken from is bold. */
  const used = (mode: StaffProduct["availabilityMode"]) => (p.availabilityMode === mode ? "used" : undefined);
  return (
    <section class="panel" data-backroom="product" aria-label="Backroom: ERP stock and prices">
      <div class="head">
        <h2>Backroom</h2>
        <small>
          <ErpLinked href={erpLink(erp, { type: "item", sku: p.sku, ...(p.erpId ? { erpId: p.erpId } : {}) })} field="sku">
            {p.sku}
          </ErpLinked>
        </small>
        <span class={`status ${p.status}`} data-field="status">
          {statusLabel(p.status)}
        </span>
      </div>
      {mismatch ? (
        <div class="warn">
          <span role="status" data-field="mismatch">
            {PLATFORM_NAMES[platform]} shows {qty(platformStock)} in stock, Backroom's available is {qty(p.available)}.
          </span>{" "}
          {onPushStock ? <PushStock sku={p.sku} onPushStock={onPushStock} /> : null}
        </div>
      ) : null}
      <dl class="summary" data-field="summary">
        <div>
          <dt>Available</dt>
          <dd>
            <span class="big" data-field="summaryAvailable">
              {qty(p.available)}
            </span>
            {p.warehouses.length > 1 ? <small data-field="byWarehouse">{p.warehouses.map((w) => `${w.name} ${qty(w.available)}`).join(" · ")}</small> : null}
          </dd>
        </div>
        <div>
          <dt>Next incoming</dt>
          <dd data-field="nextIncoming">
            {next ? (
              <>
                {qty(next.qty)} <small>{day(next.eta)}</small>
              </>
            ) : (
              "none"
            )}
          </dd>
        </div>
        <div>
          <dt>Margin</dt>
          <dd data-field="margin">
            {m && basis ? `${money(m.amount, p.currency)} (${m.percent} %)` : "—"}
            {basis ? (
              <small data-field="marginBasis">
                {basis.label} {money(basis.price, basis.currency)}
              </small>
            ) : null}
            {m && unitCost?.label ? (
              <small data-field="marginOn">
                {unitCost.label} {money(unitCost.amount, p.currency)}
              </small>
            ) : null}
          </dd>
        </div>
        <div>
          <dt>ERP</dt>
          <dd data-field="erpSync">{p.lastSync ? <small>last update {when(p.lastSync)}</small> : "never synced"}</dd>
        </div>
      </dl>
      <details data-section="warehouses">
        <summary>Stock by warehouse</summary>
        <table class="stock">
          <thead>
            <tr>
              <th scope="col">Ware&shy;house</th>
              <th scope="col">On hand</th>
              <th scope="col" title="Committed by the ERP">
                Commit&shy;ted
              </th>
              <th scope="col" title="Taken by shop orders the ERP has not confirmed yet">
                Reserv&shy;ed
              </th>
              <th scope="col" title="On hand − committed − reserved" class={used("free")}>
                Free
              </th>
              <th scope="col" title="On hand − all confirmed demand − reserved + incoming" class={used("forecast")}>
                Fore&shy;cast
              </th>
              <th scope="col">Avail&shy;able</th>
            </tr>
          </thead>
          <tbody>
            {p.warehouses.map((w) => (
              <tr key={w.code} data-warehouse={w.code}>
                <th scope="row">{w.name}</th>
                <td data-field="onHand">{qty(w.onHand)}</td>
                <td data-field="committed">{qty(w.committed)}</td>
                <td data-field="reserved">{qty(w.reserved)}</td>
                <td data-field="free" class={used("free")}>
                  {qty(w.free)}
                </td>
                <td data-field="forecast" class={used("forecast")}>
                  {qty(w.forecast)}
                </td>
                <td data-field="available">{qty(w.available)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr data-warehouse="total">
              <th scope="row">Total</th>
              <td data-field="onHand">{qty(total((w) => w.onHand))}</td>
              <td data-field="committed">{qty(total((w) => w.committed))}</td>
              <td data-field="reserved">{qty(total((w) => w.reserved))}</td>
              <td data-field="free" class={used("free")}>
                {qty(total((w) => w.free))}
              </td>
              <td data-field="forecast" class={used("forecast")}>
                {qty(total((w) => w.forecast))}
              </td>
              <td data-field="available">{qty(p.available)}</td>
            </tr>
          </tfoot>
        </table>
        <p class="muted" data-field="availabilityMode">
          {p.availabilityMode === "forecast"
            ? "The shop's availability is the forecast before receipts, less safety stock."
            : "The shop's availability is the free stock, less safety stock."}
        </p>
        {p.safetyStock > 0 ? <p class="muted">Safety stock: {qty(p.safetyStock)} per warehouse.</p> : null}
        {onPromise ? <PromiseCheck sku={p.sku} onPromise={onPromise} /> : null}
      </details>
      {incoming.length > 0 ? (
        <details data-section="incoming">
          <summary>Incoming ({incoming.length})</summary>
          <table data-field="incoming">
            <thead>
              <tr>
                <th scope="col">Warehouse</th>
                <th scope="col">Qty</th>
                <th scope="col">ETA</th>
                <th scope="col">PO</th>
              </tr>
            </thead>
            <tbody>
              {incoming.map((i) => (
                <tr key={`${i.warehouse}-${i.eta}-${i.ref ?? ""}`}>
                  <th scope="row">{i.warehouse}</th>
                  <td>{qty(i.qty)}</td>
                  <td>{day(i.eta)}</td>
                  <td>
                    {i.ref ? (
                      <ErpLinked href={erpLink(erp, { type: "purchaseOrder", name: i.ref, ...(i.erpId ? { erpId: i.erpId } : {}) })}>{i.ref}</ErpLinked>
                    ) : (
                      ""
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : null}
      <details data-section="prices">
        <summary>Cost and prices</summary>
        <dl class="kv">
          <dt>Cost</dt>
          <dd data-field="cost">{p.cost !== undefined ? money(p.cost, p.currency) : "not pushed by the ERP"}</dd>
          {p.landedCost !== undefined ? (
            <>
              <dt>Landed cost</dt>
              <dd data-field="landedCost">{money(p.landedCost, p.currency)}</dd>
            </>
          ) : null}
          {platformPrice !== undefined ? (
            <>
              <dt>{PLATFORM_NAMES[platform]} price</dt>
              <dd data-field="platformPrice">{money(platformPrice, p.currency)}</dd>
            </>
          ) : null}
        </dl>
        {p.priceLists.length > 0 ? (
          <table data-field="priceLists">
            <thead>
              <tr>
                <th scope="col">ERP price list</th>
                <th scope="col">From qty</th>
                <th scope="col">Unit price</th>
                <th scope="col">Margin</th>
              </tr>
            </thead>
            <tbody>
              {p.priceLists.flatMap((l) =>
                l.breaks.map((b, i) => (
                  <tr key={`${l.id}-${b.minQty}`} data-list={l.id}>
                    <th scope="row">{i === 0 ? l.name : ""}</th>
                    <td>{qty(b.minQty)}</td>
                    <td>{money(b.unitPrice, l.currency)}</td>
                    <td>{i === 0 && l.margin ? `${l.margin.percent} %` : ""}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        ) : null}
      </details>
      {p.recentChanges.length > 0 ? (
        <details data-section="history">
          <summary>Recent stock changes</summary>
          <ul data-field="recentChanges">
            {p.recentChanges.slice(0, 10).map((c) => (
              <li key={`${c.warehouse}-${c.version}`}>
                {c.warehouse}: {qty(c.onHand)} on hand <span class="muted">{when(c.at)}</span>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {extra}
      {footer}
    </section>
  );
}
