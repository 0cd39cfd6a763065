import type { LinePromiseView, PromiseAnswer } from "../../../worker/contract";
import { arr, n, type Obj, obj, opt, s } from "../api";

/**
 * The promise API as the widget calls it (`GET …/promise?sku=&qty=`, `POST …/promise` with a cart's
 * lines). Every answer passes a structural guard before anything renders it, as in ../api.ts.
 */

export type { LinePromiseView, PromiseAnswer };

const part = (p: unknown): p is Obj => obj(p) && s(p.warehouse) && s(p.qty) && s(p.date);
const nullableDate = (v: unknown): boolean => v === null || s(v);

export const isLine = (v: unknown): v is LinePromiseView =>
  obj(v) &&
  s(v.sku) &&
  s(v.qty) &&
  opt(v.unit, s) &&
  obj(v.rule) &&
  s(v.rule.min) &&
  s(v.rule.increment) &&
  opt(v.violation, (x): x is Obj => obj(x) && s(x.code) && s(x.message)) &&
  s(v.available) &&
  arr(v.now, part) &&
  arr(v.dated, (p): p is Obj => part(p) && arr(p.refs, s)) &&
  s(v.unscheduled) &&
  s(v.orderable) &&
  typeof v.backorder === "boolean" &&
  nullableDate(v.completeDate) &&
  opt(v.components, (c): c is Obj[] => arr(c, (x): x is Obj => obj(x) && s(x.sku) && n(x.qty)));

export const isPromiseAnswer = (v: unknown): v is PromiseAnswer => obj(v) && arr(v.lines, isLine) && nullableDate(v.completeDate) && s(v.today);

/** The promise for `qty` of one SKU (in its sales unit); undefined when the edge does not know it or fails. */
export async function fetchPromise(base: string, sku: string, qty: string, signal: AbortSignal): Promise<PromiseAnswer | undefined> {
  const res = await fetch(`${base}/promise?sku=${encodeURIComponent(sku)}&qty=${encodeURIComponent(qty)}`, { signal, credentials: "omit" });
  const body: unknown = res.ok ? await res.json() : undefined;
  return isPromiseAnswer(body) ? body : undefined;
}

/** What the edge answered for a cart: the promise, or the SKUs it does not know (its 422 `details.skus`). */
export type CartAnswer = PromiseAnswer | { unknown: string[] } | undefined;

/** The promise for a cart's lines (≤ 100), taking from the same stock as one order would. */
export async function postPromise(base: string, lines: ReadonlyArray<{ sku: string; qty: string }>, signal: AbortSignal): Promise<CartAnswer> {
  const res = await fetch(`${base}/promise`, {
    method: "POST",
    signal,
    credentials: "omit",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ lines }),
  });
  const body: unknown = await res.json().catch(() => undefined);
  if (res.status === 422 && obj(body) && obj(body.error) && obj(body.error.details) && arr(body.error.details.skus, s))
    return { unknown: body.error.details.skus };
  return res.ok && isPromiseAnswer(body) ? body : undefined;
}
