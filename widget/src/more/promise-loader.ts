import type { signal as Signal } from "@preact/signals-core";
import type { VNode } from "preact";
import type { AvailabilityItem } from "../api";
import type { Fmt } from "../format";
import type { PromiseChunk } from "../promise";
import { isQuantityField, pageQuantity } from "../promise/quantity";
import { loadChunk } from "./chunk-loader";

declare const __BACKROOM_PROMISE__: string | undefined;

/** The promise chunk's file name beside widget.js (content-hashed by the build). */
const FILE = typeof __BACKROOM_PROMISE__ === "string" ? __BACKROOM_PROMISE__ : "widget-promise.js";

/** How long typing in the quantity field pauses before the promise is asked for. */
export const QUANTITY_DEBOUNCE_MS = 300;

const loadPromise = (base: string): Promise<PromiseChunk | undefined> => loadChunk<PromiseChunk>(new URL(base).origin, FILE, "__backroomPromise");

/**
 * The promise part of one availability box (issue 12): the page's quantity field (none: 1) drives the
 * dated promise for the selected variant. It is needed when the quantity is more than ships now (and
 * more than one: one is what the availability box answers) or the product has a sales unit or
 * quantity rule; only then is the promise chunk loaded, and the box
 * shows its view. Otherwise (and until the chunk and the first answer are in) the box shows
 * availability as before. Typing is heard after it paused.
 */
export function promiseBox(fmt: Fmt, base: string, signal: typeof Signal, abort: AbortSignal): (item: AvailabilityItem | undefined) => VNode | null {
  const qty = signal(pageQuantity(document));
  const view = signal<ReturnType<PromiseChunk["productPromise"]> | undefined>(undefined);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hear = (e: Event): void => {
    if (!isQuantityField(e.target)) return;
    clearTimeout(timer);
    timer = setTimeout(() => (qty.value = pageQuantity(document)), QUANTITY_DEBOUNCE_MS);
  };
  for (const type of ["input", "change"]) document.addEventListener(type, hear, { capture: true, signal: abort });
  abort.addEventListener("abort", () => clearTimeout(timer));
  let loading = false;
  return (item) => {
    const q = qty.value;
    // One is what the availability box answers already (in stock, sold out, the next arrival).
    if (!item || !(item.unit || item.rule || Number(q) > Math.max(item.available, 1))) return null;
    if (!loading) {
      loading = true;
      loadPromise(base).then((chunk) => {
        if (chunk && !abort.aborted) view.value = chunk.productPromise(fmt, base, signal, abort);
      });
    }
    return view.value?.(item, q) ?? null;
  };
}

/** The cart's promise box of one `data-backroom="cart"` slot (the main script's, or the theme's placeholder): empty until the chunk is in. */
export function cartBox(fmt: Fmt, base: string, abort: AbortSignal, signal: typeof Signal, slot: HTMLElement): () => VNode | null {
  const view = signal<(() => VNode | null) | undefined>(undefined);
  loadPromise(base).then((chunk) => {
    if (chunk && !abort.aborted) view.value = chunk.cartView(fmt, base, abort, signal, slot);
  });
  return () => view.value?.() ?? null;
}
