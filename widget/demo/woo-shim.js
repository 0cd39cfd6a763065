// Demo only: stands in for the jQuery + add-to-cart-variation.js pair every WooCommerce product
// page loads (not bundled here so the demo runs offline). Like the real ones, it sets
// `variation_id` and announces the match with a *jQuery* `found_variation` event (never a DOM
// event), `reset_data` when the choice is incomplete. Only the jQuery API the widget uses exists.
(() => {
  const handlers = new WeakMap();
  const split = (events) =>
    events
      .split(/\s+/)
      .filter(Boolean)
      .map((e) => {
        const [type, ns = ""] = e.split(".");
        return { type, ns };
      });
  window.jQuery = window.$ = (el) => ({
    on(events, fn) {
      const list = handlers.get(el) ?? [];
      for (const { type, ns } of split(events)) list.push({ type, ns, fn });
      handlers.set(el, list);
      return this;
    },
    off(events) {
      const drop = split(events);
      handlers.set(
        el,
        (handlers.get(el) ?? []).filter((h) => !drop.some((d) => (!d.type || d.type === h.type) && (!d.ns || d.ns === h.ns))),
      );
      return this;
    },
    trigger(type, args = []) {
      for (const h of handlers.get(el) ?? []) if (h.type === type) h.fn.call(el, { type, target: el }, ...args);
      return this;
    },
  });

  const form = document.querySelector("form.variations_form");
  const variations = JSON.parse(form.dataset.product_variations);
  const idInput = form.querySelector('input[name="variation_id"]');
  const check = () => {
    const chosen = Object.fromEntries([...form.querySelectorAll("select[name^=attribute_]")].map((s) => [s.name, s.value]));
    const match = Object.values(chosen).every(Boolean) && variations.find((v) => Object.entries(v.attributes).every(([k, val]) => chosen[k] === val));
    if (match) {
      idInput.value = String(match.variation_id);
      window.jQuery(form).trigger("found_variation", [match]);
    } else {
      idInput.value = "";
      window.jQuery(form).trigger("reset_data");
    }
  };
  form.addEventListener("change", check);
  // WooCommerce checks once on load, so a default ("Default Form Values") selection counts.
  check();
})();
