import type { AccountInvoice, AccountOrder, AccountReturn, AccountSummary, ReorderQuote } from "../../../worker/contract";
import { arr, n, type Obj, obj, opt, s } from "../api";

export type { AccountInvoice, AccountOrder, AccountReturn, AccountSummary, ReorderQuote };

/**
 * The account chunk's requests (`base` = `https://EDGE/v1/shops/<shop>`), each with the buyer's
 * token in `x-backroom-customer` and no cookies. Every answer passes a structural guard before it
 * renders (as in ../api.ts); one that does not counts as a failure.
 */

const line = (l: unknown): l is Obj => obj(l) && s(l.sku) && n(l.qty);
const isSummary = (v: unknown): v is AccountSummary => obj(v) && s(v.company) && s(v.currency) && s(v.balance) && s(v.overdue) && opt(v.creditAvailable, s);
const isOrder = (v: unknown): v is AccountOrder =>
  obj(v) &&
  s(v.orderRef) &&
  s(v.status) &&
  s(v.at) &&
  arr(v.lines, line) &&
  arr(v.returnable, line) &&
  arr(v.invoices, s) &&
  arr(v.shipments, (x): x is Obj => obj(x) && s(x.carrier) && s(x.trackingNumber) && opt(x.trackingUrl, s)) &&
  arr(v.returns, (r): r is Obj => obj(r) && s(r.returnRef) && s(r.status));
const isInvoice = (v: unknown): v is AccountInvoice =>
  obj(v) && s(v.number) && s(v.issuedAt) && s(v.currency) && s(v.total) && s(v.openAmount) && s(v.status) && typeof v.pdf === "boolean";
const isReturn = (v: unknown): v is AccountReturn => obj(v) && s(v.returnRef) && s(v.orderRef) && s(v.status) && s(v.requestedAt) && arr(v.lines, line);

const isQuote = (v: unknown): v is ReorderQuote =>
  obj(v) &&
  s(v.currency) &&
  arr(v.lines, (l): l is Obj => line(l) && n(l.available) && s(l.status) && opt(l.unitPrice, s) && opt(l.variantId, s)) &&
  arr(v.gone, line);

export interface Account {
  summary: AccountSummary;
  orders: AccountOrder[];
  invoices: AccountInvoice[];
  returns: AccountReturn[];
}

async function read(base: string, path: string, token: string, signal: AbortSignal): Promise<unknown> {
  const res = await fetch(`${base}${path}`, { signal, credentials: "omit", headers: { "x-backroom-customer": token } });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.json();
}

/** The whole account in four parallel reads; undefined when any fails or looks wrong. */
export async function loadAccount(base: string, token: string, signal: AbortSignal): Promise<Account | undefined> {
  const [summary, orders, invoices, returns] = await Promise.all(
    ["/account", "/account/orders?limit=50", "/account/invoices", "/account/returns"].map((p) => read(base, p, token, signal)),
  );
  if (!isSummary(summary)) return undefined;
  if (!obj(orders) || !arr(orders.orders, isOrder)) return undefined;
  if (!obj(invoices) || !arr(invoices.invoices, isInvoice)) return undefined;
  if (!obj(returns) || !arr(returns.returns, isReturn)) return undefined;
  return { summary, orders: orders.orders, invoices: invoices.invoices, returns: returns.returns };
}

/** The invoice's PDF as a blob URL to open, or undefined when the edge has none. */
export async function invoicePdfUrl(base: string, number: string, token: string, signal: AbortSignal): Promise<string | undefined> {
  const res = await fetch(`${base}/account/invoices/${encodeURIComponent(number)}/pdf`, {
    signal,
    credentials: "omit",
    headers: { "x-backroom-customer": token },
  });
  if (!res.ok || res.headers.get("content-type") !== "application/pdf") return undefined;
  return URL.createObjectURL(await res.blob());
}

/** Files a return; answers the edge's error code on refusal. */
export async function fileReturn(
  base: string,
  token: string,
  request: { orderRef: string; lines: Array<{ sku: string; qty: number }>; reason: string },
  photo: File | undefined,
  signal: AbortSignal,
): Promise<AccountReturn | { error: string }> {
  let body: BodyInit;
  const headers: Record<string, string> = { "x-backroom-customer": token };
  if (photo) {
    const form = new FormData();
    form.set("request", JSON.stringify(request));
    form.set("photo", photo);
    body = form;
  } else {
    body = JSON.stringify(request);
    headers["content-type"] = "application/json";
  }
  const res = await fetch(`${base}/account/returns`, { method: "POST", signal, credentials: "omit", headers, body });
  const json: unknown = await res.json().catch(() => undefined);
  if (res.status === 201 && isReturn(json)) return json;
  const code = obj(json) && obj(json.error) && s(json.error.code) ? json.error.code : `HTTP ${res.status}`;
  return { error: code };
}

/** A past order as it could be bought again now (`GET …/account/orders/:ref/reorder`). */
export async function loadReorderQuote(base: string, orderRef: string, token: string, signal: AbortSignal): Promise<ReorderQuote> {
  const quote = await read(base, `/account/orders/${encodeURIComponent(orderRef)}/reorder`, token, signal);
  if (!isQuote(quote)) throw new Error("reorder quote: unexpected answer");
  return quote;
}
