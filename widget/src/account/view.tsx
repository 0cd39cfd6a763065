import type { Fmt } from "../format";
import { type AccountTranslate, accountTranslator, statusWord } from "./i18n";
import type { ReorderOutcome } from "./reorder";
import type { Account, AccountOrder } from "./requests";
import { ACCOUNT_CSS } from "./styles";

export type Tab = "orders" | "invoices" | "returns";
const TABS: readonly Tab[] = ["orders", "invoices", "returns"];

export interface AccountState {
  account: Account | undefined | "error" | "signed_out";
  tab: Tab;
  /** The order whose return form is open. */
  returning: string | undefined;
  /** Blob URLs of invoice PDFs fetched, by number ("" when the edge had none). */
  pdfs: Record<string, string>;
  notice: string | undefined;
  busy: boolean;
  /** Reorders by order ref: running, failed, or what went into the cart and what did not. */
  reorders: Record<string, ReorderOutcome | "busy" | "failed">;
}

export interface AccountActions {
  setTab: (tab: Tab) => void;
  openPdf: (number: string) => void;
  startReturn: (orderRef: string | undefined) => void;
  submitReturn: (order: AccountOrder, form: HTMLFormElement) => void;
  reorder: (orderRef: string) => void;
}

/** Arrow keys, Home and End move between the tabs (the WAI-ARIA tabs pattern, automatic activation). */
function onTabKey(e: KeyboardEvent, current: Tab, setTab: (tab: Tab) => void): void {
  const i = TABS.indexOf(current);
  const next = { ArrowRight: TABS[(i + 1) % 3], ArrowLeft: TABS[(i + 2) % 3], Home: TABS[0], End: TABS[2] }[e.key];
  if (!next) return;
  e.preventDefault();
  setTab(next);
  const list = e.currentTarget instanceof HTMLElement ? e.currentTarget : undefined;
  requestAnimationFrame(() => list?.querySelector<HTMLElement>(`[data-tab=${next}]`)?.focus());
}

/** The buyer's account: balance and terms, then Orders / Invoices / Returns tabs. */
export function AccountView({ fmt, state, act }: { fmt: Fmt; state: AccountState; act: AccountActions }) {
  const t = accountTranslator(fmt.locale);
  const { account } = state;
  if (account === undefined) return <div class="b a" aria-busy="true" />;
  if (account === "signed_out" || account === "error")
    return (
      <div class="b a">
        <style>{ACCOUNT_CSS}</style>
        <p role="status">{t(account === "error" ? "failed" : "signIn")}</p>
      </div>
    );
  const { summary } = account;
  const money = new Intl.NumberFormat(fmt.locale, { style: "currency", currency: summary.currency });
  const amount = (v: string, currency = summary.currency) =>
    currency === summary.currency ? money.format(Number(v)) : new Intl.NumberFormat(fmt.locale, { style: "currency", currency }).format(Number(v));
  const date = new Intl.DateTimeFormat(fmt.locale, { dateStyle: "medium" });
  const day = (iso: string) => date.format(new Date(iso));
  return (
    <div class="b a" data-account={summary.company}>
      <style>{ACCOUNT_CSS}</style>
      <strong>{summary.company}</strong>
      <dl>
        <dt>{t("balance")}</dt>
        <dd data-balance={summary.balance}>{amount(summary.balance)}</dd>
        {summary.creditAvailable !== undefined && [
          <dt key="a">{t("available")}</dt>,
          <dd key="b" data-available={summary.creditAvailable}>
            {amount(summary.creditAvailable)}
          </dd>,
        ]}
        {summary.overdue !== "0.00" && [
          <dt key="c">{t("overdue")}</dt>,
          <dd key="d" class="late" data-overdue={summary.overdue}>
            {amount(summary.overdue)}
          </dd>,
        ]}
        {summary.paymentTerms && [<dt key="e">{t("terms")}</dt>, <dd key="f">{summary.paymentTerms}</dd>]}
      </dl>
      <div role="tablist" aria-label={t("title")} onKeyDown={(e) => onTabKey(e, state.tab, act.setTab)}>
        {TABS.map((tab) => (
          <button
            key={tab}
            type="button"
            role="tab"
            id={`backroom-tab-${tab}`}
            data-tab={tab}
            aria-selected={state.tab === tab}
            aria-controls="backroom-tabpanel"
            tabIndex={state.tab === tab ? 0 : -1}
            onClick={() => act.setTab(tab)}
          >
            {t(tab)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="backroom-tabpanel" aria-labelledby={`backroom-tab-${state.tab}`} data-panel={state.tab}>
        {state.notice && <p role="status">{state.notice}</p>}
        {state.tab === "orders" && <Orders account={account} t={t} day={day} amount={amount} state={state} act={act} />}
        {state.tab === "invoices" && (
          <List empty={account.invoices.length === 0} t={t}>
            {account.invoices.map((i) => (
              <li key={i.number} data-invoice={i.number} data-status={i.status}>
                <strong>{i.number}</strong> {statusWord(t, i.status)} · {t("total")} {amount(i.total, i.currency)}
                {i.status !== "paid" && (
                  <span class={i.overdue ? "late" : undefined}>
                    {" "}
                    · {t("open")} {amount(i.openAmount, i.currency)}
                  </span>
                )}
                <div class="m">
                  {day(i.issuedAt)}
                  {i.dueAt && ` · ${t("due")} ${day(i.dueAt)}`}
                </div>
                {i.pdf &&
                  (state.pdfs[i.number] ? (
                    <a href={state.pdfs[i.number]} target="_blank" rel="noopener" data-pdf={i.number}>
                      {t("pdfOpen", `${i.number}.pdf`)}
                    </a>
                  ) : state.pdfs[i.number] === "" ? (
                    <span class="m">{t("pdfMissing")}</span>
                  ) : (
                    <button type="button" class="s" onClick={() => act.openPdf(i.number)}>
                      {t("pdf")}
                    </button>
                  ))}
              </li>
            ))}
          </List>
        )}
        {state.tab === "returns" && (
          <List empty={account.returns.length === 0} t={t}>
            {account.returns.map((r) => (
              <li key={r.returnRef} data-return={r.returnRef} data-status={r.status}>
                <strong>{r.rmaNumber ?? r.returnRef}</strong> {statusWord(t, r.status)}
                <div class="m">
                  {t("order")} {r.orderRef} · {day(r.requestedAt)} · {r.lines.map((l) => `${l.qty} × ${l.sku}`).join(", ")}
                </div>
              </li>
            ))}
          </List>
        )}
      </div>
    </div>
  );
}

function List({ empty, t, children }: { empty: boolean; t: AccountTranslate; children: preact.ComponentChildren }) {
  return empty ? <p class="m">{t("none")}</p> : <ul>{children}</ul>;
}

function Orders({
  account,
  t,
  day,
  amount,
  state,
  act,
}: {
  account: Account;
  t: AccountTranslate;
  day: (iso: string) => string;
  amount: (v: string, currency?: string) => string;
  state: AccountState;
  act: AccountActions;
}) {
  return (
    <List empty={account.orders.length === 0} t={t}>
      {account.orders.map((o) => (
        <li key={o.orderRef} data-order={o.orderRef} data-status={o.status}>
          <strong>{o.orderNumber ?? o.orderRef}</strong> {statusWord(t, o.status)} <span class="m">{day(o.at)}</span>
          <div class="m">{o.lines.map((l) => `${l.qty} × ${l.sku}`).join(", ")}</div>
          {o.shipments.map((s) => (
            <div key={s.trackingNumber} class="m">
              {s.carrier}:{" "}
              {s.trackingUrl && /^https?:\/\//.test(s.trackingUrl) ? (
                <a href={s.trackingUrl} target="_blank" rel="noopener noreferrer">
                  {s.trackingNumber}
                </a>
              ) : (
                s.trackingNumber
              )}
            </div>
          ))}
          {o.returns.length > 0 && (
            <div class="m">{o.returns.map((r) => `${t("returns")}: ${r.rmaNumber ?? r.returnRef} ${statusWord(t, r.status)}`).join(" · ")}</div>
          )}
          <button
            type="button"
            class="s"
            data-reorder-order={o.orderRef}
            disabled={state.reorders[o.orderRef] === "busy"}
            onClick={() => act.reorder(o.orderRef)}
          >
            {t("reorder")}
          </button>
          <Reordered outcome={state.reorders[o.orderRef]} orderRef={o.orderRef} t={t} amount={amount} />
          {o.returnable.length > 0 && state.returning !== o.orderRef && (
            <button type="button" class="s" data-return-order={o.orderRef} onClick={() => act.startReturn(o.orderRef)}>
              {t("returnItems")}
            </button>
          )}
          {state.returning === o.orderRef && (
            <form
              data-return-form={o.orderRef}
              onSubmit={(e) => {
                e.preventDefault();
                act.submitReturn(o, e.currentTarget);
              }}
            >
              {o.returnable.map((l) => (
                <label key={l.sku}>
                  {l.sku} <input type="number" name={`qty:${l.sku}`} min={0} max={l.qty} value={0} /> / {l.qty}
                </label>
              ))}
              <label>
                {t("reason")}
                <textarea name="reason" required maxLength={500} rows={2} />
              </label>
              <label>
                {t("photo")} <input type="file" name="photo" accept="image/jpeg,image/png,image/webp" />
              </label>
              <button type="submit" class="s" disabled={state.busy}>
                {t("send")}
              </button>
              <button type="button" class="s" onClick={() => act.startReturn(undefined)}>
                {t("cancel")}
              </button>
            </form>
          )}
        </li>
      ))}
    </List>
  );
}

/** What a reorder put in the cart and, line by line, what it did not and why. */
function Reordered({
  outcome,
  orderRef,
  t,
  amount,
}: {
  outcome: ReorderOutcome | "busy" | "failed" | undefined;
  orderRef: string;
  t: AccountTranslate;
  amount: (v: string, currency?: string) => string;
}) {
  if (outcome === undefined || outcome === "busy") return null;
  if (outcome === "failed")
    return (
      <p role="status" class="late" data-reorder-result={orderRef}>
        {t("reorderFailed")}
      </p>
    );
  const x = (l: { sku: string; qty: number }) => `${l.qty} × ${l.sku}`;
  const price = (sku: string) => (outcome.prices[sku] ? ` (${amount(outcome.prices[sku], outcome.currency)})` : "");
  const rows = [
    ...outcome.added.map((l) => ["added", l.sku, t("reordered", `${x(l)}${price(l.sku)}`)]),
    ...outcome.gone.map((l) => ["gone", l.sku, t("gone", x(l))]),
    ...outcome.short.map((l) => ["short", l.sku, t("short", `${l.available}/${l.qty} × ${l.sku}`)]),
    ...outcome.notHere.map((l) => ["not-here", l.sku, t("notHere", x(l))]),
    ...outcome.refused.map((l) => ["refused", l.sku, t("refused", `${x(l)}: ${l.reason}`)]),
  ];
  return (
    <div role="status" data-reorder-result={orderRef}>
      <ul class="m">
        {rows.map(([kind, sku, text]) => (
          <li key={`${kind}:${sku}`} data-kind={kind} data-sku={sku} class={kind === "added" ? undefined : "late"}>
            {text}
          </li>
        ))}
      </ul>
    </div>
  );
}
