import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildWidget } from "../../widget/build.mjs";
import { formatter } from "../../widget/src/format";
import { describeLine } from "../../widget/src/promise/summary";
import { promiseWords } from "../../widget/src/promise/words";
import { promiseProducts, promiseStock } from "../../worker/cli/demo-promise.mjs";
import { type AvailabilityItem, PromiseAnswer } from "../../worker/contract";
import { type Edge, startEdge } from "./edge";
import { e2ePort } from "./ports";
import { launchChromium, screenshot } from "./widget-browser";
import { erpPush, nextVersion, type ShopSecrets, seedWidgetShop } from "./widget-data";

/**
 * The promise in the widget (issue 12), in Chromium against a real `wrangler dev` edge seeded with the
 * demo's kit (STARTER-KIT: a hoodie L and 2 sticker sets) and case pack (SOAP-BAR: cases of 12, at
 * least 2). What the box says is checked against the edge's own promise answer for the same quantity.
 * The carts are the real payloads of test/fixtures/carts/ with the demo's SKUs set on their lines,
 * served by `page.route` (the demo cart server is another branch's).
 */

let edge: Edge;
let secrets: ShopSecrets;
let browser: Browser;
const LOCALE = "de-DE"; // the widget shop's locale (GET /config)
const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  await buildWidget({ quiet: true });
  edge = await startEdge({ port: e2ePort(8843) });
  secrets = await seedWidgetShop(edge.url, edge.adminToken);
  const v = nextVersion();
  await erpPush(edge.url, secrets.erpSecret, "products", { products: [{ sku: "STICKER-SET", name: "Sticker set", version: v }, ...promiseProducts()] });
  await erpPush(edge.url, secrets.erpSecret, "stock", {
    items: [{ sku: "STICKER-SET", warehouse: "HAM", onHand: 10, incoming: [{ qty: 20, eta: day(6), ref: "PO-S" }], version: v }, ...promiseStock()],
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await edge?.stop();
});

/** The edge's own promise for these lines (GET for one, POST for a cart). */
async function edgePromises(lines: Array<{ sku: string; qty: string }>): Promise<PromiseAnswer> {
  const [one] = lines;
  const res =
    lines.length === 1 && one
      ? await fetch(`${edge.url}/v1/shops/demo/promise?sku=${one.sku}&qty=${one.qty}`)
      : await fetch(`${edge.url}/v1/shops/demo/promise`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ lines }) });
  expect(res.status).toBe(200);
  return PromiseAnswer.parse(await res.json());
}

async function availability(sku: string): Promise<AvailabilityItem> {
  const body: { items: AvailabilityItem[] } = await (await fetch(`${edge.url}/v1/shops/demo/availability?sku=${sku}`)).json();
  const [item] = body.items;
  if (!item) throw new Error(`no availability for ${sku}`);
  return item;
}

const open = async (path: string): Promise<Page> => {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  page.on("pageerror", (e) => {
    throw e;
  });
  await page.goto(`${edge.url}${path}`);
  return page;
};

/** The box of the availability placeholder: its height, and what the promise view in it says. */
async function promiseShown(page: Page, qty: string) {
  const box = page.locator('[data-backroom="availability"] [data-backroom-host] .b');
  const promise = box.locator(`[data-promise][data-qty="${qty}"]`);
  await promise.waitFor();
  return {
    height: (await box.boundingBox())?.height,
    sku: await promise.getAttribute("data-sku"),
    head: await promise.locator("[data-status]").innerText(),
    parts: await promise.locator("[data-part]").allInnerTexts(),
    violation: (await promise.locator("[data-violation]").count()) ? await promise.locator("[data-violation]").innerText() : undefined,
    rule: (await promise.locator("[data-rule]").count()) ? await promise.locator("[data-rule]").innerText() : undefined,
  };
}

/** What the edge's answer says in the shop's words, with its numbers and days checked on the raw answer too. */
function expected(answer: PromiseAnswer, names: Map<string, string>) {
  const [line] = answer.lines;
  if (!line) throw new Error("no line");
  return describeLine(line, formatter(LOCALE), promiseWords(LOCALE), answer.today, (c) => names.get(c) ?? c);
}

describe("product page: the page's quantity field drives the promise", () => {
  it("a case pack (WooCommerce-shaped, SOAP-BAR) shows its case and minimum at once, and the dated promise for a typed quantity", async () => {
    const page = await open("/demo/soap.html");
    const item = await availability("SOAP-BAR");
    expect(item).toMatchObject({ unit: { name: "case", factor: "12" }, rule: { min: "2", increment: "1" } });
    const names = new Map(item.warehouses.map((w) => [w.code, w.name]));
    // The field says 1: below the minimum, so the box says what to order instead of a promise.
    const one = await promiseShown(page, "1");
    expect(one.rule).toBe("Verkauf je case zu 12 · mindestens 2");
    expect(one.violation).toBe(expected(await edgePromises([{ sku: "SOAP-BAR", qty: "1" }]), names).violation);
    expect(one.violation).toContain("2");

    await page.locator("input.qty").fill("5");
    const five = await promiseShown(page, "5");
    const answer = await edgePromises([{ sku: "SOAP-BAR", qty: "5" }]);
    const line = answer.lines[0];
    expect(five).toMatchObject({ sku: "SOAP-BAR", head: expected(answer, names).head, parts: expected(answer, names).parts, violation: undefined });
    // The raw figures, independently of the wording: 40 + 15 bars are 3 + 1 whole cases now, the 5th case with PO-4920.
    const nowCases = (line?.now ?? []).reduce((n, p) => n + Number(p.qty), 0);
    expect(nowCases).toBe(4);
    expect(five.parts[0]).toBe(`${nowCases} heute versandbereit (Berlin, Hamburg)`);
    const dated = line?.dated[0];
    expect(five.parts).toContain(`${dated?.qty} am ${formatter(LOCALE).day(dated?.date ?? "")}`);
    expect(five.height).toBe(one.height);
    await screenshot(page, "widget-promise-soap");
    await page.close();
  });

  it("a kit (Shopify-shaped, STARTER-KIT): availability until the quantity is more than ships now, then the promise, the box's height unchanged", async () => {
    const page = await open("/demo/kit.html");
    const box = page.locator('[data-backroom="availability"] [data-backroom-host] .b');
    await box.locator("[data-status]").waitFor();
    const before = (await box.boundingBox())?.height;
    const item = await availability("STARTER-KIT");
    expect(item.available).toBe(5); // Hamburg: 12 hoodies L, 10 sticker sets → 5 kits
    await page.locator('input[name="quantity"]').fill("8");
    const eight = await promiseShown(page, "8");
    const names = new Map(item.warehouses.map((w) => [w.code, w.name]));
    const answer = await edgePromises([{ sku: "STARTER-KIT", qty: "8" }]);
    expect(eight).toMatchObject({ sku: "STARTER-KIT", head: expected(answer, names).head, parts: expected(answer, names).parts });
    expect(eight.parts[0]).toBe("5 heute versandbereit (Hamburg)");
    expect(eight.height).toBe(before);
    // Dawn's + button (a change event, no typing): 9.
    await page.locator('button[name="plus"]').click();
    const nine = await promiseShown(page, "9");
    expect(nine.parts).toEqual(expected(await edgePromises([{ sku: "STARTER-KIT", qty: "9" }]), names).parts);
    // Back to what ships now: availability again.
    await page.locator('input[name="quantity"]').fill("2");
    await box.locator("[data-promise]").waitFor({ state: "detached" });
    expect(await box.locator("[data-status]").getAttribute("data-status")).toBe(item.status);
    await page.close();
  });
});

/** A real cart payload with the demo's SKUs and quantities set on its lines (the rest of each line as the platform sent it). */
function cartWith(file: string, lines: Array<{ sku: string; quantity: number; title: string }>): string {
  const cart = JSON.parse(readFileSync(join(import.meta.dirname, "../fixtures/carts", file), "utf8"));
  const [first] = cart.items;
  cart.items = lines.map((l, i) => ({ ...first, key: `${first.key}-${i}`, sku: l.sku, quantity: l.quantity, title: l.title, name: l.title }));
  return JSON.stringify(cart);
}

/** The widget shop's warehouses (test/e2e/widget-data.ts): the cart names them as the product page does. */
const NAMES: Record<string, string> = { BER: "Berlin", HAM: "Hamburg", VIE: "Vienna" };

const CART = [
  { sku: "STARTER-KIT", quantity: 2, title: "Starter kit" },
  { sku: "SOAP-BAR", quantity: 3, title: "Olive soap bar" },
  { sku: "HOODIE-M", quantity: 50, title: "Hoodie M" },
];

/** The cart box's lines as shown: SKU, status and text. */
async function cartShown(page: Page) {
  const box = page.locator("[data-cart-promise]");
  await box
    .locator("li[data-line-sku]")
    .nth(CART.length - 1)
    .waitFor();
  const lines = [];
  for (const li of await box.locator("li[data-line-sku]").all())
    lines.push({ sku: await li.getAttribute("data-line-sku"), status: await li.getAttribute("data-line-status"), text: await li.innerText() });
  return { head: await box.locator("[data-status]").first().innerText(), lines };
}

async function expectCartMatchesEdge(page: Page) {
  const shown = await cartShown(page);
  const answer = await edgePromises(CART.map((l) => ({ sku: l.sku, qty: String(l.quantity) })));
  const fmt = formatter(LOCALE);
  const w = promiseWords(LOCALE);
  expect(shown.lines.map((l) => l.sku)).toEqual(CART.map((l) => l.sku));
  CART.forEach((l, i) => {
    const line = answer.lines[i];
    if (!line) throw new Error("line");
    const words = describeLine(line, fmt, w, answer.today, (c) => NAMES[c] ?? c);
    expect(shown.lines[i]?.text).toBe(`${l.title} × ${l.quantity}: ${words.violation ?? words.parts.join(" · ")}`);
  });
  // The kit's line from its components' warehouse; the hoodie's 50 more than the 40 Berlin and Vienna hold.
  expect(shown.lines[0]?.text).toContain("2 heute versandbereit (Hamburg)");
  expect(answer.lines[2]?.unscheduled).not.toBe("0");
  expect(shown.head).toContain("Lieferung Ihres Warenkorbs");
  return shown;
}

describe("cart page: a promise per cart line, in one box", () => {
  it("Shopify (demo cart page, cart.js from the real payload): 3 lines incl. the kit, as the edge promises them together", async () => {
    // The real payload instead of the demo cart: its service worker would answer before page.route.
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 }, serviceWorkers: "block" });
    await page.route("**/cart.js", (route) => route.fulfill({ contentType: "application/json", body: cartWith("shopify-cart-populated.json", CART) }));
    await page.goto(`${edge.url}/demo/cart.html`);
    await expectCartMatchesEdge(page);
    await screenshot(page, "widget-promise-cart-shopify");
    await page.close();
  });

  it("WooCommerce (Store API cart from the real payload), no placeholder: the box is placed after the cart form", async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.route("**/wp-json/wc/store/v1/cart", (route) =>
      route.fulfill({ contentType: "application/json", body: cartWith("woocommerce-store-api-cart.json", CART) }),
    );
    await page.route("**/shop/cart/", (route) =>
      route.fulfill({
        contentType: "text/html",
        body: `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Warenkorb</title></head>
<body class="page woocommerce-cart woocommerce-page"><main><h1>Warenkorb</h1>
<form class="woocommerce-cart-form" action="/shop/cart/" method="post"><table class="shop_table cart"><tbody>
<tr class="woocommerce-cart-form__cart-item cart_item"><td class="product-name">Starter kit</td><td class="product-quantity"><input type="number" class="input-text qty text" name="cart[a][qty]" value="2"></td></tr>
</tbody></table></form><p id="after">Cart totals</p></main>
<script src="/widget.js" data-shop="demo" async></script></body></html>`,
      }),
    );
    await page.goto(`${edge.url}/shop/cart/`);
    await expectCartMatchesEdge(page);
    // Right after the cart form, outside it.
    expect(await page.locator("form.woocommerce-cart-form + [data-backroom=cart] [data-backroom-host]").count()).toBe(1);
    expect(await page.locator("form [data-backroom-host]").count()).toBe(0);
    await page.close();
  });
});
