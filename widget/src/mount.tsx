import { effect, signal } from "@preact/signals-core";
import { render, type VNode } from "preact";
import { type AvailabilityItem, api } from "./api";
import { detectProduct, type PageProduct, skuElements, type Variant, wooVariations } from "./detect";
import { formatter } from "./format";
import { connectLive } from "./live";
import type { More } from "./more";
import { loadMore } from "./more-loader";
import { productAnchor } from "./place";
import { isQuantityField } from "./promise/quantity";
import { AvailabilityView } from "./view/availability";
import { CSS } from "./view/styles";

export interface MountOptions {
  /** The shop's id on the edge (`data-shop`). */
  shop: string;
  /** The edge's origin, e.g. `https://edge.example` (where widget.js came from). */
  edge: string;
  /** A signed B2B customer token (`data-customer-token`); prices are shown only with a valid one. */
  customerToken?: string;
  /** BCP 47 locale (`data-locale`); without it the shop's own locale from the edge. */
  locale?: string;
}

const MAX_SKUS = 100;

/** jQuery, as WooCommerce pages carry it: `found_variation` is a jQuery event, never a DOM one. */
interface JQueryish {
  on(events: string, handler: (event: unknown, data?: unknown) => void): unknown;
  off(events: string): unknown;
}
const jqueryOf = (el: Element): JQueryish | undefined => {
  const jq: unknown = Reflect.get(window, "jQuery");
  if (typeof jq !== "function") return undefined;
  const wrapped: unknown = jq(el);
  if (typeof wrapped !== "object" || wrapped === null) return undefined;
  const on: unknown = Reflect.get(wrapped, "on");
  const off: unknown = Reflect.get(wrapped, "off");
  return typeof on === "function" && typeof off === "function" ? { on: (e, h) => on.call(wrapped, e, h), off: (e) => off.call(wrapped, e) } : undefined;
};

/**
 * Finds the products and placeholders on the page, asks the edge once for all of them, renders
 * into shadow roots and keeps them live over one WebSocket. It keeps watching the page: a variant
 * change shows that variant; a single-page-app navigation (another path, or the theme re-rendering
 * the product section away) removes every host and starts over on the new page.
 *
 * @example
 * const unmount = mount({ shop: "acme", edge: "https://edge.example" });
 * unmount(); // removes every host, listener, timer and the socket
 */
export function mount(opts: MountOptions): () => void {
  let current = mountPage(opts);
  let pending: ReturnType<typeof setTimeout> | undefined;
  // Themes change the URL (`?variant=`) or the DOM inside their own handlers: look once they ran.
  const check = (): void => {
    clearTimeout(pending);
    pending = setTimeout(() => {
      const product = detectProduct(document, location.href);
      if (current.stale(product)) {
        current.unmount();
        current = mountPage(opts);
      } else current.choose(product?.selected);
    }, 0);
  };
  const events: Array<[EventTarget, string]> = [
    [document, "change"],
    [window, "popstate"],
    // Hyvä's configurable products announce the chosen child on window.
    [window, "configurable-selection-changed"],
  ];
  const navigation: unknown = Reflect.get(window, "navigation");
  // The Navigation API hears history.pushState/replaceState (SPA routers, Shopify's ?variant=, PrestaShop).
  if (navigation instanceof EventTarget) events.push([navigation, "currententrychange"]);
  for (const [target, type] of events) target.addEventListener(type, check, true);
  const observer = new MutationObserver(check);
  observer.observe(document.body ?? document.documentElement, {
    childList: true,
    subtree: true,
    characterData: true,
    attributeFilter: ["value", "data-product-sku", "data-pid", "content"],
  });
  return () => {
    clearTimeout(pending);
    observer.disconnect();
    for (const [target, type] of events) target.removeEventListener(type, check, true);
    current.unmount();
  };
}

/** One page's worth of widget: what mount() replaces after a navigation. */
interface MountedPage {
  unmount: () => void;
  /** The shopper picked another variant (SKU as detected). */
  choose: (sku: string | undefined) => void;
  /** True when the page now shows another product (or none, or one where there was none) or our box was removed. */
  stale: (product: PageProduct | undefined) => boolean;
}

function mountPage(opts: MountOptions): MountedPage {
  const doc = document;
  const aborter = new AbortController();
  const cleanups: Array<() => void> = [];
  const edge = api(opts.edge, opts.shop, aborter.signal);
  const explicit = skuElements(doc).filter(({ el }) => !el.dataset.backroom || el.dataset.backroom === "availability");
  const placeholders = (kind: string) => [...doc.querySelectorAll<HTMLElement>(`[data-backroom=${kind}]:not([data-backroom-sku])`)];
  const product = detectProduct(doc, location.href);
  const priceSlots = [...doc.querySelectorAll<HTMLElement>("[data-backroom=price]")];
  // The account view (issue 13) and the cart's promise (issue 12) ride the tracking slot's hook: the
  // lazy chunk tells them apart. On a cart page (Shopify's /cart, WooCommerce's) without a cart
  // placeholder, the cart chunk places a detached one itself.
  const trackingSlots = [...placeholders("tracking"), ...placeholders("account"), ...placeholders("cart")];
  if (!product && !trackingSlots.length && (/\/cart\/?$/.test(location.pathname) || doc.querySelector(".woocommerce-cart"))) {
    const slot = doc.createElement("div");
    slot.dataset.backroom = "cart";
    trackingSlots.push(slot);
  }
  const token = opts.customerToken ?? priceSlots.find((el) => el.dataset.customerToken)?.dataset.customerToken;

  const path = location.pathname;
  /** Every identifier of a detected SKU (its GTIN, MPN… too): the first the edge knows is shown. */
  const keysOf = (sku: string): string[] => {
    const v: Variant | undefined = product?.variants.find((o) => o.sku === sku);
    return v ? [v.sku, ...(v.alt ?? [])] : [sku];
  };
  const known = new Set([...explicit.map((e) => e.sku), ...(product?.variants.flatMap((v) => keysOf(v.sku)) ?? [])].slice(0, MAX_SKUS));
  const items = signal(new Map<string, AvailabilityItem>());
  const itemOf = (sku: string | undefined): AvailabilityItem | undefined =>
    sku
      ? keysOf(sku)
          .map((k) => items.value.get(k))
          .find(Boolean)
      : undefined;
  const selected = signal(product?.selected);
  const now = signal(Date.now());
  /** The lazy chunk (price, tracking, notify-me), once something on the page needs it. */
  const more = signal<More | undefined>(undefined);
  const needMore = (): Promise<More | undefined> => loadMore(opts.edge).then((m) => (more.value = m));
  const { base } = edge;

  const merge = (list: AvailabilityItem[]): void => {
    const next = new Map(items.value);
    for (const i of list) next.set(i.sku, i);
    items.value = next;
  };

  /** A host element with an open shadow root, appended to `parent` (or placed after it). */
  const host = (parent: Element, after = false): HTMLElement => {
    const el = doc.createElement("div");
    el.dataset.backroomHost = "";
    if (after) parent.after(el);
    else parent.append(el);
    const root = el.attachShadow({ mode: "open" });
    const style = doc.createElement("style");
    style.textContent = CSS;
    root.append(style, doc.createElement("div"));
    cleanups.push(() => el.remove());
    return el;
  };
  /** Renders `view` into the host's shadow root, again whenever a signal it read changes (only this box). */
  const show = (el: HTMLElement, view: () => VNode | null | undefined): void => {
    const target = el.shadowRoot?.lastElementChild;
    if (!target) return;
    // Pushed in this order so that unmount (which runs cleanups in reverse) stops the effect first.
    cleanups.push(
      () => render(null, target),
      effect(() => render(view(), target)),
    );
  };

  let live: (() => void) | undefined;
  const reconnect = (): void => {
    live?.();
    if (!known.size) return;
    live = connectLive({
      url: edge.liveUrl([...known]),
      onItem: (item) => merge([item]),
      // The socket was down for a while: whatever changed meanwhile comes with one fresh read.
      onResume: () =>
        void edge.availability([...known]).then(
          (list) => list && merge(list),
          () => {},
        ),
    });
  };
  cleanups.push(() => live?.());

  /** The shopper picked another variant: show it; fetch it first if the page did not list it up front. */
  const choose = (sku: string | undefined): void => {
    if (!sku || sku === selected.value) return;
    if (!known.has(sku) && known.size < MAX_SKUS) {
      known.add(sku);
      edge.availability([sku]).then(
        (list) => list && merge(list),
        () => {},
      );
      reconnect();
    }
    selected.value = sku;
  };

  // No placeholder: the box goes after the add-to-cart control (or the price, or the title), its
  // height reserved at once so that the answer, when it comes, moves nothing.
  const anchor = placeholders("availability").length === 0 && explicit.length === 0 && product ? productAnchor(doc) : undefined;
  let auto: HTMLElement | undefined = anchor && host(anchor, true);
  if (auto) auto.style.minHeight = "var(--backroom-height,7.5rem)";

  const start = async (): Promise<void> => {
    const [list, config] = await Promise.all([known.size ? edge.availability([...known]) : [], opts.locale ? undefined : edge.config().catch(() => undefined)]);
    // The edge failed (or we were unmounted meanwhile): leave the page exactly as it was. A
    // tracking-only page has no availability to ask for; there the config answer is the proof of life.
    if (!list || aborter.signal.aborted || (!known.size && !opts.locale && !config)) {
      auto?.remove();
      auto = undefined;
      return;
    }
    merge(list);
    const fmt = formatter(opts.locale ?? config?.locale ?? (doc.documentElement.lang || navigator.language));

    for (const { el, sku } of explicit) {
      const open = signal(false);
      show(host(el), () => AvailabilityView({ item: itemOf(sku), fmt, now: now.value, open: open.value, toggle: () => (open.value = !open.value) }));
    }
    const slots = placeholders("availability").map((slot) => host(slot));
    if (auto) slots.push(auto);
    for (const el of slots) {
      const open = signal(false);
      let extraOf: ReturnType<More["extraBox"]> | undefined;
      show(el, () => {
        const item = itemOf(selected.value);
        if (more.value) extraOf ??= more.value.extraBox(fmt, base, signal, aborter.signal);
        // Sold out with nothing incoming: the shop's notify-me button or form, when it offers one;
        // a quantity beyond what ships now, or a product with a sales unit or rule: the dated promise.
        const [extra, whole] = extraOf?.(item) ?? [null, false];
        if (whole) return <div class="b open">{extra}</div>;
        return AvailabilityView({ item, fmt, now: now.value, open: open.value, toggle: () => (open.value = !open.value), extra });
      });
    }
    cleanups.push(
      effect(() => {
        const item = itemOf(selected.value);
        if ((item?.status === "out_of_stock" && !item.nextArrival) || item?.unit || item?.rule) needMore();
      }),
    );
    // The shopper changed the page's quantity field: the lazy chunk's promise takes it from here.
    const onQuantity = (e: Event): void => void (isQuantityField(e.target) && needMore());
    for (const type of ["input", "change"]) doc.addEventListener(type, onQuantity, { capture: true, signal: aborter.signal });
    // The signed-in buyer's price: the lazy chunk asks for every SKU the page knows (again when it knows more).
    for (const slot of priceSlots) {
      const own = slot.dataset.backroomSku;
      let box: ReturnType<More["priceBox"]> | undefined;
      show(host(slot), () => {
        if (more.value && token) box ??= more.value.priceBox(fmt, base, token, known, aborter.signal, signal);
        return box?.(own ?? itemOf(selected.value)?.sku ?? selected.value);
      });
    }
    if (token && priceSlots.length && known.size) needMore();
    for (const slot of trackingSlots) {
      let box: ReturnType<More["trackingBox"]> | undefined;
      show(host(slot), () => {
        if (more.value) box ??= more.value.trackingBox(fmt, base, aborter.signal, signal, slot);
        return box?.();
      });
    }
    if (trackingSlots.length) needMore();

    const tick = setInterval(() => (now.value = Date.now()), 1000);
    cleanups.push(() => clearInterval(tick));
    reconnect();
    if (product) hearWoo();
  };

  /** WooCommerce's found_variation / reset_data are jQuery events, never DOM ones: heard through the page's jQuery. */
  const hearWoo = (): void => {
    const redetect = (): void => void setTimeout(() => choose(detectProduct(doc, location.href)?.selected), 0);
    const woo = wooVariations(doc);
    const $form = woo && jqueryOf(woo.form);
    if ($form) {
      $form.on("found_variation.backroom", (_e, v) => {
        const sku: unknown = typeof v === "object" && v !== null && "sku" in v ? v.sku : undefined;
        if (typeof sku === "string" && sku) choose(sku);
        else redetect();
      });
      $form.on("reset_data.backroom", redetect);
      cleanups.push(() => $form.off(".backroom"));
    }
  };

  start().catch(() => {
    // Network failure or an answer we could not use: the page stays as it was.
  });

  return {
    unmount: () => {
      aborter.abort();
      for (const fn of cleanups.splice(0).reverse()) fn();
    },
    choose,
    stale: (p) =>
      location.pathname !== path ||
      !p !== !product ||
      (auto !== undefined && !auto.isConnected) ||
      (p !== undefined && !p.variants.some((v) => known.has(v.sku))),
  };
}
