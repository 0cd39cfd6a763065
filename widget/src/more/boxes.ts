import type { signal as Signal } from "@preact/signals-core";
import type { VNode } from "preact";
import type { AvailabilityItem, CustomerPrices } from "../api";
import type { Fmt } from "../format";
import { accountBox } from "./account-loader";
import { type NotifyState, NotifyView, notifyOffer } from "./notify";
import { cartBox, promiseBox } from "./promise-loader";
import { PriceView } from "./price";
import { fetchPrices, lookupOrder } from "./requests";
import { type TrackingResult, TrackingView } from "./tracking";

/**
 * The lazy chunk's boxes with their own state. State lives in signals made by the main script's
 * `signal` (one signals runtime per page), so the main script's render effect re-runs when it changes.
 */

/**
 * The order-tracking box of one `data-backroom="tracking"` placeholder; for a
 * `data-backroom="account"` one, the buyer's account, from a chunk of its own (../account/); for a
 * `data-backroom="cart"` one, the cart's promise per line, from the promise chunk (../promise/).
 */
export function trackingBox(fmt: Fmt, base: string, abort: AbortSignal, signal: typeof Signal, slot?: HTMLElement): () => VNode | null {
  if (slot?.dataset.backroom === "account") return accountBox(fmt, base, abort, signal, slot);
  if (slot?.dataset.backroom === "cart") return cartBox(fmt, base, abort, signal, slot);
  const result = signal<TrackingResult>(undefined);
  const busy = signal(false);
  const submit = (orderNumber: string, email: string): void => {
    busy.value = true;
    lookupOrder(base, orderNumber.trim(), email.trim(), abort)
      .catch((): TrackingResult => "error")
      .then((r) => {
        result.value = r;
        busy.value = false;
      });
  };
  return () => TrackingView({ fmt, result: result.value, busy: busy.value, submit });
}

/**
 * What the lazy chunk adds to one availability box: the notify-me button or form for a sold-out
 * product, else the dated promise for the page's quantity (issue 12). Answers the view and whether
 * it takes the whole box.
 */
export function extraBox(fmt: Fmt, base: string, signal: typeof Signal, abort: AbortSignal): (item: AvailabilityItem | undefined) => [VNode | null, boolean] {
  const notify = notifyBox(fmt, base, signal);
  const promise = promiseBox(fmt, base, signal, abort);
  return (item) => {
    const shown = notify(item);
    if (shown[0]) return shown;
    const view = promise(item);
    return [view, view !== null];
  };
}

/**
 * The notify-me part of one availability box: nothing unless the item is sold out with nothing
 * incoming and the shop offers it (asked once). Answers the view and whether it takes the whole
 * box (the open form) or sits under the status (the button, the "check your inbox" note).
 */
function notifyBox(fmt: Fmt, base: string, signal: typeof Signal): (item: AvailabilityItem | undefined) => [VNode | null, boolean] {
  const consent = signal("");
  const state = signal<NotifyState>(undefined);
  let asked = false;
  return (item) => {
    if (item?.status !== "out_of_stock" || item.nextArrival) return [null, false];
    if (!asked) {
      asked = true;
      notifyOffer(base).then((text) => {
        if (text) consent.value = text;
      });
    }
    if (!consent.value) return [null, false];
    const view = NotifyView({ fmt, base, sku: item.sku, consentText: consent.value, state: state.value, set: (v) => (state.value = v) });
    return [view, state.value !== undefined && state.value !== "sent"];
  };
}

/**
 * The signed-in buyer's price box of one `data-backroom="price"` placeholder: the prices of every SKU
 * the page knows (`known`, which grows when the shopper picks a variant the page had not listed: then
 * they are asked again), shown for the SKU it is called with. Nothing without a valid token (401).
 */
export function priceBox(
  fmt: Fmt,
  base: string,
  token: string,
  known: ReadonlySet<string>,
  abort: AbortSignal,
  signal: typeof Signal,
): (sku: string | undefined) => VNode | null {
  const prices = signal<CustomerPrices | undefined>(undefined);
  let asked = 0;
  return (sku) => {
    if (known.size !== asked) {
      asked = known.size;
      fetchPrices(base, [...known], token, abort).then(
        (p) => (prices.value = p),
        () => {},
      );
    }
    return PriceView({ prices: prices.value, sku, fmt });
  };
}
