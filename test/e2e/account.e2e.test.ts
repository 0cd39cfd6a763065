import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildWidget } from "../../widget/build.mjs";
import { connectDemoErp, DEMO_BUYER, PUSHED_PDF, seedDemoAccount } from "../../worker/cli/demo-account.mjs";
import { startDemoErp } from "../../worker/cli/lib/demo-erp.mjs";
import { EdgeClient } from "../../worker/cli/lib/edge-client.mjs";
import { demoTokens, seedDemo } from "../../worker/cli/seed.mjs";
import { AccountInvoices, AccountOrders, AccountReturn, AccountReturns, AccountSummary, ReorderQuote } from "../../worker/contract";
import wooCart from "../fixtures/woocommerce/store_api_cart.json";
import wooErrors from "../fixtures/woocommerce/store_api_errors.json";
import { type Edge, startEdge } from "./edge";
import { e2ePort } from "./ports";
import { launchChromium, screenshot } from "./widget-browser";

/**
 * The demo B2B buyer on a real `wrangler dev` (local D1, local R2, local queue) with the demo ERP
 * `npm start` runs: balance and invoices as seeded, both invoice PDFs served from R2 (one pushed by
 * the ERP, one fetched from it on the first request), and a return that travels to the ERP through
 * the queue and comes back approved by the ERP's own signed push; and a reorder that puts past
 * orders' lines into the demo storefront's Shopify-shaped cart (widget/demo/cart-sw.js), naming the
 * line whose SKU is gone and the one short of stock.
 */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let edge: Edge;
let erp: { url: string; stop: () => Promise<void> };
let token: string;
let browser: Browser;

const account = (path: string, init: RequestInit = {}) =>
  fetch(`${edge.url}/v1/shops/demo${path}`, { ...init, headers: { "x-backroom-customer": token, ...(init.headers ?? {}) } });

beforeAll(async () => {
  await buildWidget({ quiet: true });
  edge = await startEdge({ port: e2ePort(8884) });
  const { creds } = await seedDemo(edge.url, edge.adminToken);
  erp = await startDemoErp({ edgeUrl: edge.url, shop: "demo", erpSecret: creds.erpSecret, decideAfterMs: 300 });
  await connectDemoErp(edge.url, edge.adminToken, "demo", erp.url);
  await seedDemoAccount(new EdgeClient(edge.url, { adminToken: edge.adminToken }), creds);
  token = String(demoTokens(creds.customerSecret)[DEMO_BUYER.id]);
});

afterAll(async () => {
  await browser?.close();
  await erp?.stop();
  await edge?.stop();
});

describe("demo buyer account on wrangler dev", () => {
  it("shows the ERP's balance, the overdue amount and the open invoices first", async () => {
    const summary = AccountSummary.parse(await (await account("/account")).json());
    expect(summary).toMatchObject({
      company: "ACME Outfitters GmbH",
      balance: "1200.50",
      creditLimit: "5000.00",
      creditAvailable: "3799.50",
      overdue: "820.50",
      openInvoices: 2,
    });
    const { invoices } = AccountInvoices.parse(await (await account("/account/invoices")).json());
    expect(invoices.map((i) => i.number)).toEqual(["INV-2026-0112", "INV-2026-0131", "INV-2026-0088"]);
  });

  it("serves both invoice PDFs from R2: the pushed one, and the one fetched from the ERP on the first request", async () => {
    for (const number of [PUSHED_PDF, "INV-2026-0131", "INV-2026-0131"]) {
      const res = await account(`/account/invoices/${number}/pdf`);
      expect(res.status, number).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/pdf");
      expect(res.headers.get("cache-control")).toBe("private, no-store");
      const text = await res.text();
      expect(text.startsWith("%PDF-1.4")).toBe(true);
      expect(text).toContain(`Invoice ${number}`);
    }
    // The paid one has no PDF at the ERP.
    expect((await account("/account/invoices/INV-2026-0088/pdf")).status).toBe(404);
  });

  it("files a return that reaches the demo ERP and comes back approved", async () => {
    const { orders } = AccountOrders.parse(await (await account("/account/orders")).json());
    const delivered = orders.find((o) => o.orderRef === "5002001");
    expect(delivered?.returnable).toEqual([
      { sku: "HOODIE-M", qty: 10 },
      { sku: "MUG-ENAMEL", qty: 24 },
      { sku: "SOCK-MERINO", qty: 30 },
    ]);
    const res = await account("/account/returns", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ orderRef: "5002001", lines: [{ sku: "MUG-ENAMEL", qty: 3 }], reason: "Chipped enamel" }),
    });
    expect(res.status).toBe(201);
    const filed = AccountReturn.parse(await res.json());
    let status = filed.status;
    let rma: string | undefined;
    const deadline = Date.now() + 30_000;
    while (status !== "approved" && Date.now() < deadline) {
      await sleep(250);
      const { returns } = AccountReturns.parse(await (await account("/account/returns")).json());
      const mine = returns.find((r) => r.returnRef === filed.returnRef);
      status = mine?.status ?? status;
      rma = mine?.rmaNumber;
    }
    expect(status).toBe("approved");
    expect(rma).toMatch(/^RMA-DEMO-\d{4}$/);
  });
});

/** The quote once the edge has applied the storefront's orders/create webhooks (the queue is asynchronous). */
async function reorderQuote(orderRef: string): Promise<ReorderQuote> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const quote = ReorderQuote.parse(await (await account(`/account/orders/${orderRef}/reorder`)).json());
    if (quote.lines.every((l) => l.variantId) || Date.now() > deadline) return quote;
    await sleep(250);
  }
}

describe("reorder quotes of the demo buyer", () => {
  it("carry the Shopify variant ids the storefront's orders taught the edge, and list the gone SKU", async () => {
    const quote = await reorderQuote("5002003");
    expect(quote.gone).toEqual([{ sku: "TEE-CLASSIC-2024", qty: 5 }]);
    expect(quote.lines).toMatchObject([{ sku: "TOTE-CANVAS", qty: 15, variantId: "44000000000016", status: "in_stock" }]);
    const other = await reorderQuote("5002001");
    expect(other.lines.map((l) => [l.sku, l.qty, l.available, l.status, l.variantId])).toEqual([
      ["HOODIE-M", 10, 2, "low_stock", "44000000000012"],
      ["MUG-ENAMEL", 24, 0, "backorder", "44000000000013"],
      ["SOCK-MERINO", 30, expect.any(Number), expect.any(String), "44000000000014"],
    ]);
  });
});

describe("the account view on the demo storefront (Chromium)", () => {
  it("shows the balance, opens an invoice PDF from R2, and files a return that comes back approved", async () => {
    browser ??= await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1000, height: 1000 } });
    await page.goto(`${edge.url}/demo/account.html?customer_token=${encodeURIComponent(token)}`);
    const view = page.locator('[data-backroom="account"] [data-backroom-host] [data-account]');
    // The shop's locale is de-DE: the ERP's balance 1200.50 as "1.200,50 €".
    await expect.poll(() => view.locator("[data-balance]").innerText(), { timeout: 30_000 }).toMatch(/1\.200,50/);
    expect(await view.locator("[data-overdue]").getAttribute("data-overdue")).toBe("820.50");

    // Keyboard: the tabs follow the arrow keys (focus and selection move together).
    await view.locator('[role="tab"][data-tab="orders"]').focus();
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => view.locator('[data-tab="invoices"]').getAttribute("aria-selected")).toBe("true");
    expect(await view.locator("[data-panel]").getAttribute("data-panel")).toBe("invoices");

    // The invoice the ERP renders on demand: fetched into R2 on this first request, opened as a PDF.
    const invoice = view.locator('[data-invoice="INV-2026-0131"]');
    await invoice.locator("button").click();
    const link = invoice.locator("a[data-pdf]");
    await link.waitFor({ timeout: 15_000 });
    const head = await page.evaluate(async (href) => (await (await fetch(href)).text()).slice(0, 8), String(await link.getAttribute("href")));
    expect(head).toBe("%PDF-1.4");

    // A return of delivered units, filed from the order list, comes back approved by the demo ERP.
    await view.locator('[data-tab="orders"]').click();
    const order = view.locator('[data-order="5002001"]');
    await order.locator("button[data-return-order]").click();
    const form = order.locator("form[data-return-form]");
    await form.locator('input[name="qty:SOCK-MERINO"]').fill("2");
    await form.locator("textarea").fill("Two pairs with holes");
    await form.locator('button[type="submit"]').click();
    await expect.poll(() => view.locator("[data-panel]").getAttribute("data-panel"), { timeout: 15_000 }).toBe("returns");
    const filed = view.locator("li[data-return]").filter({ hasText: "SOCK-MERINO" });
    await expect.poll(() => filed.getAttribute("data-status"), { timeout: 30_000 }).toBe("approved");
    expect(await filed.innerText()).toMatch(/RMA-DEMO-\d{4}/);
    await screenshot(page, "account-view");
  });

  it("reorders two past orders into the demo cart: what can be had goes in, the gone and the short lines are listed", async () => {
    const socks = (await reorderQuote("5002001")).lines.find((l) => l.sku === "SOCK-MERINO");
    browser ??= await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1000, height: 1200 } });
    await page.goto(`${edge.url}/demo/account.html?customer_token=${encodeURIComponent(token)}`);
    // The demo cart's service worker controls the page and the cart is empty.
    await page.waitForFunction(() => document.documentElement.dataset.demoCart === "0", undefined, { timeout: 30_000 });
    const view = page.locator('[data-backroom="account"] [data-backroom-host] [data-account]');

    for (const ref of ["5002003", "5002001"]) {
      await view.locator(`[data-order="${ref}"] button[data-reorder-order]`).click();
      await view.locator(`[data-reorder-result="${ref}"]`).waitFor({ timeout: 15_000 });
    }
    const listed = async (ref: string) =>
      view.locator(`[data-reorder-result="${ref}"] li`).evaluateAll((els) => els.map((e) => [e.getAttribute("data-kind"), e.getAttribute("data-sku")]));
    expect(await listed("5002003")).toEqual([
      ["added", "TOTE-CANVAS"],
      ["gone", "TEE-CLASSIC-2024"],
    ]);
    const sockShort = socks && socks.available < 30 ? [["short", "SOCK-MERINO"]] : [];
    expect(await listed("5002001")).toEqual([
      ["added", "HOODIE-M"],
      ["added", "MUG-ENAMEL"],
      ...(socks && socks.available > 0 ? [["added", "SOCK-MERINO"]] : []),
      ["short", "HOODIE-M"],
      ...sockShort,
    ]);
    // The buyer reads it in the shop's language (de-DE): the gone line by name, the short one as added/ordered.
    expect(await view.locator('[data-reorder-result="5002003"] [data-kind="gone"]').innerText()).toBe("Nicht mehr erhältlich: 5 × TEE-CLASSIC-2024");
    expect(await view.locator('[data-reorder-result="5002001"] [data-kind="short"][data-sku="HOODIE-M"]').innerText()).toMatch(/2\/10 × HOODIE-M/);

    // The cart, as a Shopify theme would read it: /cart.js under Shopify.routes.root.
    const cart = await page.evaluate(async () => {
      const root = Reflect.get(Reflect.get(Reflect.get(window, "Shopify"), "routes"), "root");
      return (await fetch(`${root}cart.js`)).json();
    });
    const sockQty = Math.min(30, socks?.available ?? 0);
    expect(cart.items.map((i: { sku: string; quantity: number; variant_id: number }) => [i.sku, i.quantity, i.variant_id])).toEqual([
      ["TOTE-CANVAS", 15, 44000000000016],
      ["HOODIE-M", 2, 44000000000012],
      ["MUG-ENAMEL", 24, 44000000000013],
      ...(sockQty > 0 ? [["SOCK-MERINO", sockQty, 44000000000014]] : []),
    ]);
    expect(cart.item_count).toBe(15 + 2 + 24 + sockQty);
    expect(cart.total_price).toBe(15 * 1200 + 2 * 5900 + 24 * 1400 + sockQty * 900);
    expect(cart.token).toMatch(/^[0-9a-f]{32}$/);
    // The page's own cart count heard of it.
    await expect.poll(() => page.locator("[data-demo-cart-count]").innerText()).toBe(String(cart.item_count));
    await screenshot(page, "account-reorder");

    // The demo's cart page reads the same cart (the demo cart answers it) and the widget promises its lines together.
    await page.goto(new URL("/demo/cart.html", page.url()).href);
    const rows = page.locator("#cart-lines tr.cart-item");
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(cart.items.length);
    const promised = page.locator("[data-cart-promise] li[data-line-sku]");
    await expect.poll(() => promised.count(), { timeout: 30_000 }).toBe(cart.items.length);
    expect(await promised.evaluateAll((els) => els.map((e) => e.getAttribute("data-line-sku")))).toEqual(cart.items.map((i: { sku: string }) => i.sku));
  });

  it("on a WooCommerce page, reorders through the Store API with the page's nonce and lists the line it refused", async () => {
    browser ??= await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1000, height: 1200 } });
    // The same account page as WooCommerce would render it: Blocks' nonce and WordPress's REST root
    // link in the page, no Shopify object, no demo cart.
    await page.route(`${edge.url}/demo/account.html*`, async (route) => {
      const html = await (await route.fetch()).text();
      await route.fulfill({
        contentType: "text/html",
        body: html
          .replace(/<script src="demo-cart.js"><\/script>/, "")
          .replace(
            "</head>",
            `<link rel="https://api.w.org/" href="${edge.url}/wp-json/"><script>var wcBlocksMiddlewareConfig = { storeApiNonce: '7784d3df17', wcStoreApiNonceTimestamp: '1706789303' };</script></head>`,
          ),
      });
    });
    const sent: Array<{ nonce: string | undefined; body: unknown }> = [];
    await page.route(`${edge.url}/wp-json/wc/store/v1/cart/add-item`, async (route) => {
      const req = route.request();
      sent.push({ nonce: req.headers().nonce, body: req.postDataJSON() });
      // The first line goes in (a new nonce comes back); the second is refused as WooCommerce words it.
      if (sent.length === 1)
        await route.fulfill({ status: 201, contentType: "application/json", headers: { Nonce: "a1b2c3d4e5" }, body: JSON.stringify(wooCart) });
      else await route.fulfill({ status: 400, contentType: "application/json", body: JSON.stringify(wooErrors.partially_out_of_stock.body) });
    });
    await page.goto(`${edge.url}/demo/account.html?customer_token=${encodeURIComponent(token)}`);
    await page.evaluate(() => document.body.addEventListener("wc-blocks_added_to_cart", () => document.body.setAttribute("data-wc-added", "yes")));
    const view = page.locator('[data-backroom="account"] [data-backroom-host] [data-account]');
    await view.locator('[data-order="5002002"] button[data-reorder-order]').click();
    await view.locator('[data-reorder-result="5002002"]').waitFor({ timeout: 15_000 });

    // Each line at what is available now, by the id the quote names.
    const quote = await reorderQuote("5002002");
    expect(quote.lines.map((l) => [l.sku, l.variantId])).toEqual([
      ["TEE-ORG-M-BLK", "44000000000003"],
      ["CAP-WOOL", "44000000000015"],
    ]);
    expect(quote.lines.every((l) => l.available > 0)).toBe(true);
    expect(sent).toEqual([
      { nonce: "7784d3df17", body: { id: 44000000000003, quantity: Math.min(20, quote.lines[0]?.available ?? 0) } },
      { nonce: "a1b2c3d4e5", body: { id: 44000000000015, quantity: Math.min(12, quote.lines[1]?.available ?? 0) } },
    ]);
    const refused = view.locator('[data-reorder-result="5002002"] [data-kind="refused"]');
    expect(await refused.getAttribute("data-sku")).toBe("CAP-WOOL");
    expect(await refused.innerText()).toContain('You cannot add that amount of "Heavy hoodie M" to the cart');
    expect(await page.locator("body").getAttribute("data-wc-added")).toBe("yes");
  });
});
