import type { signal as Signal } from "@preact/signals-core";
import type { VNode } from "preact";
import { arr, isItem, obj, query } from "../api";
import type { Fmt } from "../format";
import { type PromiseAnswer, postPromise } from "../promise/requests";
import { type CartLine, MAX_LINES } from "./payload";
import { cartAnchor, cartSource } from "./source";
import { CartPromiseView } from "./view";

/** How long after the shopper changed something on the cart page the cart is read again (the theme's own update goes first). */
export const CART_REREAD_MS = 1000;

interface CartState {
  lines: CartLine[];
  promised: Map<string, PromiseAnswer["lines"][number]>;
  completeDate: string | null;
  today: string;
  /** Warehouse names by code, from the same SKUs' availability (the promise names codes only). */
  names: Map<string, string>;
}

/** The warehouses' names, as the product page's box shows them: read with the SKUs' availability; none when that fails. */
async function warehouseNames(base: string, skus: string[], abort: AbortSignal): Promise<Map<string, string>> {
  const res = await fetch(`${base}/availability?${query(skus)}`, { signal: abort, credentials: "omit" }).catch(() => undefined);
  const body: unknown = res?.ok ? await res.json().catch(() => undefined) : undefined;
  const items = obj(body) && arr(body.items, isItem) ? body.items : [];
  return new Map(items.flatMap((i) => i.warehouses.map((w): [string, string] => [w.code, w.name])));
}

/**
 * The promise for the cart's lines that have a SKU: one POST (beside one availability read for the
 * warehouses' names); SKUs the edge does not know (its 422) are left out and it is asked once more.
 */
async function promiseFor(base: string, lines: CartLine[], abort: AbortSignal): Promise<CartState | undefined> {
  let asked = lines.filter((l): l is CartLine & { sku: string } => l.sku !== undefined).slice(0, MAX_LINES);
  const names = warehouseNames(base, [...new Set(asked.map((l) => l.sku))], abort);
  const none: CartState = { lines, promised: new Map(), completeDate: null, today: "", names: new Map() };
  for (let attempt = 0; attempt < 2 && asked.length > 0; attempt++) {
    const answer = await postPromise(
      base,
      asked.map((l) => ({ sku: l.sku, qty: l.qty })),
      abort,
    );
    if (!answer) return undefined;
    if ("unknown" in answer) {
      const unknown = new Set(answer.unknown);
      asked = asked.filter((l) => !unknown.has(l.sku));
      continue;
    }
    const promised = new Map(asked.map((l, i) => [l.key, answer.lines[i]]).filter((e): e is [string, PromiseAnswer["lines"][number]] => e[1] !== undefined));
    return { lines, promised, completeDate: answer.completeDate, today: answer.today, names: await names };
  }
  return none;
}

/**
 * The cart page's promise (issue 12), in one box after the cart form (or in the theme's
 * `data-backroom="cart"` placeholder): the cart read from the platform's own cart API, its lines
 * promised together by the edge (as one order would take them), read again after the shopper changed
 * something on the page. One box rather than a promise beside each line: every theme marks its cart
 * rows differently and re-renders them on each change, the cart form is there on all of them.
 */
export function cartView(fmt: Fmt, base: string, abort: AbortSignal, signal: typeof Signal, slot: HTMLElement): () => VNode | null {
  const state = signal<CartState | undefined>(undefined);
  const source = cartSource(window, document);
  // The main script's own slot (no placeholder) goes after the cart form once there are lines to show:
  // an empty cart leaves the page as it was.
  const anchor = slot.isConnected ? undefined : cartAnchor(document);
  if (!source || (!slot.isConnected && !anchor)) return () => null;
  const place = (): void => {
    if (!anchor || slot.isConnected) return;
    anchor.after(slot);
    abort.addEventListener("abort", () => slot.remove());
  };
  const read = (): void => {
    fetch(source.url, { signal: abort, credentials: "same-origin", headers: { accept: "application/json" } })
      .then((res) => (res.ok ? res.json() : undefined))
      .then((body: unknown) => {
        const lines = source.lines(body);
        return lines && promiseFor(base, lines, abort);
      })
      .then(
        (next) => {
          if (!next || abort.aborted) return;
          if (next.lines.length > 0) place();
          state.value = next;
        },
        () => {},
      );
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  document.addEventListener(
    "change",
    () => {
      clearTimeout(timer);
      timer = setTimeout(read, CART_REREAD_MS);
    },
    { capture: true, signal: abort },
  );
  abort.addEventListener("abort", () => clearTimeout(timer));
  read();
  return () => {
    const s = state.value;
    if (!s || s.lines.length === 0) return null;
    return CartPromiseView({
      fmt,
      lines: s.lines,
      promised: s.promised,
      completeDate: s.completeDate,
      today: s.today,
      name: (code) => s.names.get(code) ?? code,
    });
  };
}
