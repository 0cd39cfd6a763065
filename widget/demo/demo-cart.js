// Demo only: what a Shopify theme gives every page, for the demo pages that load this script:
// `window.Shopify.routes.root` (here "/demo/", where the demo cart's service worker answers
// Shopify's Ajax Cart API, see cart-sw.js) and a cart count in the header (`[data-demo-cart-count]`),
// refreshed from `cart.js` when the widget reports a reorder (`backroom:reorder`). Once the worker
// controls the page, <html data-demo-cart> holds the item count (the e2e test waits for it).
(() => {
  const root = new URL("./", document.currentScript.src).pathname;
  window.Shopify = window.Shopify || {};
  window.Shopify.routes = window.Shopify.routes || {};
  window.Shopify.routes.root = window.Shopify.routes.root || root;
  // Resolves once the demo cart answers this page (or at once where it cannot: the page then reads the network).
  let ready = () => {};
  window.demoCartReady = new Promise((resolve) => (ready = resolve));
  if (!("serviceWorker" in navigator)) return ready();

  const refresh = async () => {
    const res = await fetch(`${window.Shopify.routes.root}cart.js`, { headers: { accept: "application/json" } });
    if (!res.ok) return;
    const cart = await res.json();
    for (const el of document.querySelectorAll("[data-demo-cart-count]")) el.textContent = String(cart.item_count);
    document.documentElement.dataset.demoCart = String(cart.item_count);
  };
  document.addEventListener("backroom:reorder", refresh);
  navigator.serviceWorker
    .register(`${root}cart-sw.js`, { scope: root })
    .then(async () => {
      if (!navigator.serviceWorker.controller) {
        await new Promise((r) => navigator.serviceWorker.addEventListener("controllerchange", r, { once: true }));
        // The first visit's widget read cart.js before the demo cart answered: a cart page starts over once.
        if (document.body.classList.contains("template-cart")) return location.reload();
      }
      ready();
      await refresh();
    })
    .catch((e) => {
      console.warn("demo cart unavailable:", e);
      ready();
    });
})();
