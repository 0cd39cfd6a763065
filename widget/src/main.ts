import { detectProduct } from "./detect";
import { type MountOptions, mount } from "./mount";

/**
 * The script tag's entry: `<script src="https://EDGE/widget.js" data-shop="acme" async>`.
 * Reads its own attributes, mounts once the document is parsed, and exposes
 * `window.Backroom = { mount, unmount, detect }` for pages that manage the widget themselves
 * (`detect()` answers what the widget finds on the page: variants and the selected SKU).
 */
const script = document.currentScript;
const mountFromTag = (): (() => void) => {
  if (!(script instanceof HTMLScriptElement) || !script.dataset.shop) return () => {};
  const { shop, customerToken, locale, edge } = script.dataset;
  const opts: MountOptions = { shop, edge: edge ?? new URL(script.src, location.href).origin };
  if (customerToken) opts.customerToken = customerToken;
  if (locale) opts.locale = locale;
  return mount(opts);
};

const api = { mount, unmount: () => {}, detect: () => detectProduct(document, location.href) };
Reflect.set(window, "Backroom", api);
const start = (): void => {
  api.unmount = mountFromTag();
};
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
else start();
