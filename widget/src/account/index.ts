import type { signal as Signal } from "@preact/signals-core";
import type { VNode } from "preact";
import type { Fmt } from "../format";
import { detectCart } from "./cart";
import { accountTranslator } from "./i18n";
import { reorderInto } from "./reorder";
import { fileReturn, invoicePdfUrl, loadAccount, loadReorderQuote } from "./requests";
import { type AccountActions, type AccountState, AccountView, type Tab } from "./view";

/**
 * The account chunk (widget-account-<hash>.js, issue 13): the signed-in buyer's balance, orders,
 * invoices and returns in the widget's shadow root. Loaded by the lazy chunk only for a
 * `data-backroom="account"` placeholder; renders through the page's one Preact.
 */

/** The buyer's token: on the placeholder, else on the script tag or a price placeholder (as for prices). */
const tokenFor = (slot: HTMLElement): string | undefined =>
  slot.dataset.customerToken ??
  document.querySelector<HTMLElement>("script[data-shop][data-customer-token],[data-backroom=price][data-customer-token]")?.dataset.customerToken;

const POLL_MS = 2000;

export function accountView(fmt: Fmt, base: string, abort: AbortSignal, signal: typeof Signal, slot: HTMLElement): () => VNode | null {
  const token = tokenFor(slot);
  const state = signal<AccountState>({
    account: token ? undefined : "signed_out",
    tab: "orders",
    returning: undefined,
    pdfs: {},
    notice: undefined,
    busy: false,
    reorders: {},
  });
  const set = (patch: Partial<AccountState>) => (state.value = { ...state.value, ...patch });
  const t = accountTranslator(fmt.locale);
  let polling: ReturnType<typeof setTimeout> | undefined;
  abort.addEventListener("abort", () => clearTimeout(polling));

  /** Reads the whole account; while a return waits for the ERP's decision, again every few seconds. */
  const refresh = (): void => {
    if (!token) return;
    loadAccount(base, token, abort)
      .catch(() => undefined)
      .then((account) => {
        if (abort.aborted) return;
        set({ account: account ?? "error" });
        clearTimeout(polling);
        if (account?.returns.some((r) => r.status === "requested")) polling = setTimeout(refresh, POLL_MS);
      });
  };

  const act: AccountActions = {
    setTab: (tab: Tab) => set({ tab, notice: undefined }),
    openPdf: (number) => {
      if (!token) return;
      invoicePdfUrl(base, number, token, abort)
        .catch(() => undefined)
        .then((url) => {
          set({ pdfs: { ...state.value.pdfs, [number]: url ?? "" } });
          if (url) window.open(url, "_blank", "noopener");
        });
    },
    startReturn: (orderRef) => set({ returning: orderRef, notice: undefined }),
    submitReturn: (order, form) => {
      if (!token) return;
      const data = new FormData(form);
      const lines = order.returnable.map((l) => ({ sku: l.sku, qty: Number(data.get(`qty:${l.sku}`) ?? 0) })).filter((l) => l.qty > 0);
      const photo = data.get("photo");
      set({ busy: true });
      fileReturn(
        base,
        token,
        { orderRef: order.orderRef, lines, reason: String(data.get("reason") ?? "") },
        photo instanceof File && photo.size > 0 ? photo : undefined,
        abort,
      )
        .catch(() => ({ error: "network" }))
        .then((r) => {
          if ("error" in r) set({ busy: false, notice: t("returnFailed", r.error) });
          else {
            set({ busy: false, returning: undefined, tab: "returns", notice: t("sent") });
            refresh();
          }
        });
    },
    reorder: (orderRef) => {
      if (!token) return;
      const done = (r: AccountState["reorders"][string]) => set({ reorders: { ...state.value.reorders, [orderRef]: r } });
      done("busy");
      const cart = detectCart(window, document.querySelector<HTMLLinkElement>('link[rel="https://api.w.org/"]')?.href, location.origin);
      loadReorderQuote(base, orderRef, token, abort)
        .then((quote) => reorderInto(cart, quote))
        .then((outcome) => {
          done(outcome);
          // The theme's cart (count, drawer) hears of it; WooCommerce Blocks' mini-cart listens to its own event.
          document.dispatchEvent(new CustomEvent("backroom:reorder", { detail: { orderRef, added: outcome.added } }));
          if (cart?.kind === "woocommerce" && outcome.added.length > 0) document.body.dispatchEvent(new Event("wc-blocks_added_to_cart", { bubbles: true }));
        })
        .catch(() => {
          if (!abort.aborted) done("failed");
        });
    },
  };
  refresh();
  return () => AccountView({ fmt, state: state.value, act });
}

export const chunk = { accountView };
export type AccountChunk = typeof chunk;

const host: unknown = Reflect.get(window, "__backroomAccount");
const done: unknown = typeof host === "object" && host !== null ? Reflect.get(host, "done") : undefined;
if (typeof done === "function") done(chunk);
