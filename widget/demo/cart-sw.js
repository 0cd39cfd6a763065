// Demo only: the demo storefront's cart, speaking Shopify's Ajax Cart API in the page's own origin
// (a service worker with scope /demo/, so the edge itself serves no cart route). A page that
// loads demo-cart.js sets `Shopify.routes.root = "/demo/"`, as a Shopify theme sets it to "/" or
// "/fr/", and every `{root}cart.js` / `{root}cart/add.js` / `{root}cart/clear.js` request lands here.
// The answers keep Shopify's shape: a cart `token`, `items[]` (one line per variant, `key`
// "<variant id>:<hash>", prices in cents), `item_count`, `total_price` in cents; add.js answers
// `{ items: [...] }` with each added variant's line, and refuses with Shopify's error body
// `{ status, message: "Cart Error", description }`. The cart lives in Cache Storage, so it
// outlives the worker and page loads, until cart/clear.js.

const ROOT = new URL("./", self.registration.scope).pathname;
const STORE = "backroom-demo-cart";
const STATE = `${ROOT}__cart_state`;

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

let catalogue;
const variants = () =>
  (catalogue ??= fetch(`${ROOT}cart-catalogue.json`, { cache: "no-cache" })
    .then((r) => r.json())
    .then((c) => ({ currency: c.currency, byId: new Map(c.variants.map((v) => [String(v.id), v])) })));

const hex = (bytes) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");
const randomToken = () => hex(crypto.getRandomValues(new Uint8Array(16)));
const lineKey = async (token, id) => `${id}:${hex(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${token}:${id}`))).slice(0, 32)}`;

async function load() {
  const stored = await (await caches.open(STORE)).match(STATE);
  return stored ? stored.json() : { token: randomToken(), note: null, attributes: {}, lines: [] };
}
const save = async (state) => (await caches.open(STORE)).put(STATE, new Response(JSON.stringify(state)));

async function lineItem(state, v, quantity) {
  const title = v.variant_title ? `${v.product_title} - ${v.variant_title}` : v.product_title;
  const line = v.price * quantity;
  return {
    id: v.id,
    properties: {},
    quantity,
    variant_id: v.id,
    key: await lineKey(state.token, v.id),
    title,
    price: v.price,
    original_price: v.price,
    discounted_price: v.price,
    line_price: line,
    original_line_price: line,
    total_discount: 0,
    discounts: [],
    sku: v.sku,
    grams: v.grams,
    vendor: "Backroom Demo",
    taxable: true,
    product_id: v.product_id,
    product_has_only_default_variant: v.variant_title === null,
    gift_card: false,
    final_price: v.price,
    final_line_price: line,
    url: `/products/${v.handle}?variant=${v.id}`,
    featured_image: null,
    image: null,
    handle: v.handle,
    requires_shipping: true,
    product_type: "",
    product_title: v.product_title,
    product_description: "",
    variant_title: v.variant_title,
    variant_options: v.variant_title ? v.variant_title.split(" / ") : ["Default Title"],
    options_with_values: v.variant_title
      ? v.variant_title.split(" / ").map((value, i) => ({ name: ["Size", "Color"][i], value }))
      : [{ name: "Title", value: "Default Title" }],
    line_level_discount_allocations: [],
    line_level_total_discount: 0,
  };
}

async function cartJson(state) {
  const { currency, byId } = await variants();
  const items = await Promise.all(state.lines.map((l) => lineItem(state, byId.get(String(l.id)), l.quantity)));
  const total = items.reduce((sum, i) => sum + i.final_line_price, 0);
  return {
    token: state.token,
    note: state.note,
    attributes: state.attributes,
    original_total_price: total,
    total_price: total,
    total_discount: 0,
    total_weight: items.reduce((sum, i) => sum + i.grams * i.quantity, 0),
    item_count: items.reduce((sum, i) => sum + i.quantity, 0),
    items,
    requires_shipping: items.length > 0,
    currency,
    items_subtotal_price: total,
    cart_level_discount_applications: [],
  };
}

const json = (status, body) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8" } });
const cartError = (status, description) => json(status, { status, message: "Cart Error", description });

/** The items of an add.js body: JSON `{ items: [{ id, quantity }] }` or `{ id, quantity }`, or a product form's fields. */
async function requestedItems(request) {
  const type = request.headers.get("content-type") ?? "";
  if (type.includes("application/json")) {
    const body = await request.json();
    return Array.isArray(body.items) ? body.items : [body];
  }
  const form = await request.formData();
  return [{ id: form.get("id"), quantity: form.get("quantity") ?? 1 }];
}

async function add(request) {
  let items;
  try {
    items = await requestedItems(request);
  } catch {
    return json(400, { status: "bad_request", message: "Parameter Missing or Invalid", description: "Required parameter missing or invalid: items" });
  }
  const { byId } = await variants();
  const asked = items.map((i) => ({ id: String(i?.id ?? ""), quantity: Number(i?.quantity ?? 1) }));
  // Shopify checks the whole request before it changes the cart: one bad item refuses them all.
  if (asked.length === 0 || asked.some((i) => !Number.isInteger(i.quantity) || i.quantity < 1))
    return json(400, { status: "bad_request", message: "Parameter Missing or Invalid", description: "Required parameter missing or invalid: items" });
  if (asked.some((i) => !byId.has(i.id))) return cartError(404, "Cannot find variant");
  const state = await load();
  for (const i of asked) {
    const line = state.lines.find((l) => String(l.id) === i.id);
    if (line) line.quantity += i.quantity;
    else state.lines.push({ id: byId.get(i.id).id, quantity: i.quantity });
  }
  await save(state);
  const ids = [...new Set(asked.map((i) => i.id))];
  return json(200, {
    items: await Promise.all(ids.map((id) => lineItem(state, byId.get(id), state.lines.find((l) => String(l.id) === id).quantity))),
  });
}

async function clear() {
  const state = await load();
  state.lines = [];
  await save(state);
  return json(200, await cartJson(state));
}

// One request at a time: two adds racing on the stored cart would lose one.
let queue = Promise.resolve();
const serial = (work) => {
  const run = queue.then(work, work);
  queue = run.catch(() => undefined);
  return run;
};

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin) return;
  const method = event.request.method;
  if (url.pathname === `${ROOT}cart.js` && method === "GET") event.respondWith(serial(async () => json(200, await cartJson(await load()))));
  else if (url.pathname === `${ROOT}cart/add.js` && method === "POST") event.respondWith(serial(() => add(event.request)));
  else if (url.pathname === `${ROOT}cart/clear.js` && method === "POST") event.respondWith(serial(clear));
});
