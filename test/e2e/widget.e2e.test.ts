import { createServer } from "node:http";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildWidget } from "../../widget/build.mjs";
import { warehouses } from "../../worker/cli/demo-data.mjs";
import { type Availability, BackInStockWebhook } from "../../worker/contract";
import { verifyStandardWebhook } from "../../worker/domain/standard-webhooks";
import { type Edge, startEdge } from "./edge";
import { e2ePort } from "./ports";
import { launchChromium, layoutShift, screenshot, watchLayoutShift } from "./widget-browser";
import { customerToken, pushStock, type ShopSecrets, seedWidgetShop } from "./widget-data";

/**
 * The widget on the demo storefronts, in Debian's Chromium against a real `wrangler dev` edge:
 * what it shows is checked against what the edge's own API answers, never against constants.
 */

let edge: Edge;
let secrets: ShopSecrets;
let browser: Browser;

beforeAll(async () => {
  await buildWidget({ quiet: true });
  edge = await startEdge({ port: e2ePort(8821) });
  secrets = await seedWidgetShop(edge.url, edge.adminToken);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await edge?.stop();
});

/** What the edge itself says about these SKUs right now. */
async function edgeHolds(...skus: string[]): Promise<Map<string, Availability["items"][number]>> {
  const res = await fetch(`${edge.url}/v1/shops/demo/availability?${skus.map((s) => `sku=${s}`).join("&")}`);
  const body: Availability = await res.json();
  return new Map(body.items.map((i) => [i.sku, i]));
}

async function open(path: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  await watchLayoutShift(page);
  await page.goto(`${edge.url}/demo/${path}`);
  return page;
}

/** The availability box inside `scope` (a placeholder selector): its SKU, status and per-warehouse numbers (expanded). */
async function shown(page: Page, scope: string): Promise<{ sku: string | null; status: string | null; text: string; warehouses: Record<string, number> }> {
  const box = page.locator(`${scope} [data-backroom-host] .b`).first();
  await box.locator("[data-status]").waitFor();
  const toggle = box.locator("button[aria-expanded]");
  if ((await toggle.getAttribute("aria-expanded")) === "false") await toggle.click();
  const warehouses: Record<string, number> = {};
  for (const li of await box.locator("li[data-warehouse]").all()) {
    const code = (await li.getAttribute("data-warehouse")) ?? "";
    warehouses[code] = Number((await li.innerText()).replace(/\D+/g, ""));
  }
  await toggle.click();
  return {
    sku: await box.getAttribute("data-sku"),
    status: await box.locator("[data-status]").getAttribute("data-status"),
    text: await box.innerText(),
    warehouses,
  };
}

const perWarehouse = (item: Availability["items"][number] | undefined) => Object.fromEntries((item?.warehouses ?? []).map((w) => [w.code, w.available]));

describe("plain HTML page (microdata + data-backroom-sku)", () => {
  it("shows what the edge holds for the page's product and every data-backroom-sku element", async () => {
    const page = await open("plain.html");
    const holds = await edgeHolds("MUG-ENAMEL", "HOODIE-S", "HOODIE-M", "HOODIE-L");
    const mug = await shown(page, '[data-backroom="availability"]');
    expect(mug).toMatchObject({ sku: "MUG-ENAMEL", status: holds.get("MUG-ENAMEL")?.status, warehouses: perWarehouse(holds.get("MUG-ENAMEL")) });
    expect(mug.status).toBe("backorder");
    // The shop's locale is de-DE (from GET /config): "20 weitere am 3. Dezember".
    const eta = new Intl.DateTimeFormat("de-DE", { day: "numeric", month: "long", timeZone: "UTC" }).format(
      new Date(`${holds.get("MUG-ENAMEL")?.nextArrival?.eta}T00:00:00Z`),
    );
    expect(mug.text).toContain(`${holds.get("MUG-ENAMEL")?.nextArrival?.qty} weitere am ${eta}`);
    expect(mug.text).toMatch(/Aktualisiert (vor \d+ Sekunden?|jetzt)/);
    for (const sku of ["HOODIE-S", "HOODIE-M", "HOODIE-L"]) {
      const box = await shown(page, `[data-backroom-sku="${sku}"]`);
      expect(box).toMatchObject({ sku, status: holds.get(sku)?.status, warehouses: perWarehouse(holds.get(sku)) });
    }
    expect(await page.locator('[data-backroom-sku="HOODIE-S"] [data-status]').innerText()).toBe(`Nur noch ${holds.get("HOODIE-S")?.available} verfügbar`);
    await screenshot(page, "widget-plain");
    expect(await layoutShift(page)).toEqual({ total: 0, entries: 0 });
    await page.close();
  });

  it("updates the open page live when the ERP pushes stock, without a reload", async () => {
    const page = await open("plain.html");
    await page.locator('[data-backroom-sku="HOODIE-L"] [data-status="in_stock"]').waitFor();
    await page.evaluate(() => {
      window.name = "not reloaded";
    });
    await pushStock(edge.url, secrets.erpSecret, "HOODIE-L", "HAM", 2);
    await page.locator('[data-backroom-sku="HOODIE-L"] [data-status="low_stock"]').waitFor({ timeout: 5_000 });
    expect(await page.locator('[data-backroom-sku="HOODIE-L"] [data-status]').innerText()).toBe("Nur noch 2 verfügbar");
    await pushStock(edge.url, secrets.erpSecret, "HOODIE-L", "HAM", 0);
    await page.locator('[data-backroom-sku="HOODIE-L"] [data-status="out_of_stock"]').waitFor({ timeout: 5_000 });
    expect(await page.evaluate(() => window.name)).toBe("not reloaded");
    await pushStock(edge.url, secrets.erpSecret, "HOODIE-L", "HAM", 12);
    await page.close();
  });
});

describe("Shopify-shaped page (JSON-LD ProductGroup, ?variant=)", () => {
  it("shows the variant in the URL, and follows the variant picker", async () => {
    const holds = await edgeHolds("TEE-ORG-L-BLK", "TEE-ORG-L-WHT", "TEE-ORG-M-BLK");
    // 44000000000005 is TEE-ORG-L-BLK in the page's JSON-LD (offers.url ?variant=...).
    const page = await open("shopify.html?variant=44000000000005");
    expect(await shown(page, '[data-backroom="availability"]')).toMatchObject({ sku: "TEE-ORG-L-BLK", warehouses: perWarehouse(holds.get("TEE-ORG-L-BLK")) });
    await page.locator('label[for="Color-White"]').click();
    await page.waitForURL(/variant=44000000000006/);
    await page.locator('[data-backroom="availability"] .b[data-sku="TEE-ORG-L-WHT"]').waitFor();
    expect(await shown(page, '[data-backroom="availability"]')).toMatchObject({ sku: "TEE-ORG-L-WHT", warehouses: perWarehouse(holds.get("TEE-ORG-L-WHT")) });
    await page.locator('label[for="Size-M"]').click();
    await page.locator('label[for="Color-Black"]').click();
    await page.locator('[data-backroom="availability"] .b[data-sku="TEE-ORG-M-BLK"]').waitFor();
    expect(await shown(page, '[data-backroom="availability"]')).toMatchObject({ sku: "TEE-ORG-M-BLK", warehouses: perWarehouse(holds.get("TEE-ORG-M-BLK")) });
    await screenshot(page, "widget-shopify");
    expect((await layoutShift(page)).total).toBe(0);
    await page.close();
  });

  it("moves nothing on the page even when its changes land outside the browser's 500 ms input window", async () => {
    // Script-dispatched clicks and changes are no user input, so the browser counts every shift
    // they cause: what a slow frame after a real click (a loaded CI machine) would count too.
    const page = await open("shopify.html?variant=44000000000005");
    await page.locator('[data-backroom="availability"] [data-status]').waitFor();
    const inBox = (selector: string) =>
      page.evaluate((s) => {
        const host = document.querySelector('[data-backroom="availability"] [data-backroom-host]');
        const el = host?.shadowRoot?.querySelector(s);
        if (el instanceof HTMLElement) el.click();
        return el !== null && el !== undefined;
      }, selector);
    const frames = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    expect(await inBox("button[aria-expanded]")).toBe(true);
    await frames();
    expect(await page.locator('[data-backroom="availability"] li[data-warehouse]').count()).toBeGreaterThan(0);
    expect(await inBox("button[aria-expanded]")).toBe(true);
    await frames();
    await page.evaluate(() => {
      const white = document.getElementById("Color-White");
      if (white instanceof HTMLInputElement) white.checked = true;
      white?.dispatchEvent(new Event("change", { bubbles: true }));
    });
    await page.locator('[data-backroom="availability"] .b[data-sku="TEE-ORG-L-WHT"]').waitFor();
    await frames();
    expect(await layoutShift(page)).toEqual({ total: 0, entries: 0 });
    await page.close();
  });

  it("shows the B2B price only with a valid signed customer token", async () => {
    const expires = Math.floor(Date.now() / 1000) + 3600;
    const good = customerToken(secrets.customerSecret, "CUST-ACME", expires);
    const page = await open(`shopify.html?variant=44000000000005&customer_token=${encodeURIComponent(good)}`);
    const price = page.locator('[data-backroom="price"] [data-price]');
    await price.waitFor();
    expect(await price.innerText()).toMatch(/^Ihr Preis: 12,40\s€\s+ab 10: 11,20\s€ · ab 50: 9,95\s€\s+ACME GmbH · Zahlungsbedingungen: 30 Tage netto$/);
    await screenshot(page, "widget-shopify-b2b");
    expect((await layoutShift(page)).total).toBe(0);
    await page.close();

    const forged = `${good.slice(0, -4)}0000`;
    const expired = customerToken(secrets.customerSecret, "CUST-ACME", Math.floor(Date.now() / 1000) - 10);
    const otherShop = customerToken("brk_cust_not_this_shops_secret", "CUST-ACME", expires);
    for (const token of [forged, expired, otherShop, ""]) {
      const p = await open(`shopify.html?customer_token=${encodeURIComponent(token)}`);
      await p.locator('[data-backroom="availability"] [data-status]').waitFor();
      await p.waitForTimeout(300);
      expect(await p.locator('[data-backroom="price"] [data-price]').count(), `token ${token}`).toBe(0);
      expect(await p.locator('[data-backroom="price"]').innerText()).toBe("");
      await p.close();
    }
  });
});

describe("WooCommerce-shaped page (variation form, found_variation)", () => {
  it("shows the default variation and follows the variation form", async () => {
    const holds = await edgeHolds("HOODIE-M", "HOODIE-S");
    const page = await open("woocommerce.html");
    expect(await shown(page, '[data-backroom="availability"]')).toMatchObject({
      sku: "HOODIE-M",
      status: holds.get("HOODIE-M")?.status,
      warehouses: perWarehouse(holds.get("HOODIE-M")),
    });
    await page.selectOption("#pa_size", "s");
    await page.locator('[data-backroom="availability"] .b[data-sku="HOODIE-S"]').waitFor();
    expect(await shown(page, '[data-backroom="availability"]')).toMatchObject({
      sku: "HOODIE-S",
      status: "low_stock",
      warehouses: perWarehouse(holds.get("HOODIE-S")),
    });
    await screenshot(page, "widget-woocommerce");
    expect((await layoutShift(page)).total).toBe(0);
    await page.close();
  });
});

describe("back-in-stock notify-me", () => {
  it("offers the shop's form on a sold-out variant with nothing incoming; the shop gets a signed request to email the confirmation link", async () => {
    const CONSENT = "Yes, email me once when this product is back in stock.";
    const hooks: Array<{ headers: Record<string, string | string[] | undefined>; body: string }> = [];
    const receiver = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => (body += chunk));
      req.on("end", () => {
        hooks.push({ headers: req.headers, body });
        res.end();
      });
    });
    const port = e2ePort(8852);
    await new Promise<void>((ok) => receiver.listen(port, "127.0.0.1", ok));
    try {
      const put = await fetch(`${edge.url}/v1/admin/shops/demo/back-in-stock`, {
        method: "PUT",
        headers: { authorization: `Bearer ${edge.adminToken}`, "content-type": "application/json" },
        body: JSON.stringify({ enabled: true, webhookUrl: `http://127.0.0.1:${port}/backroom`, consentText: CONSENT }),
      });
      expect(put.status).toBe(200);
      const { secret } = await put.json();
      // Sold out everywhere, and no purchase order on the way: the case for notify-me.
      for (const w of warehouses) await pushStock(edge.url, secrets.erpSecret, "TEE-ORG-XL-WHT", w.code, 0);
      const page = await open("shopify.html?variant=44000000000008");
      const box = page.locator('[data-backroom="availability"] [data-backroom-host]');
      await box.locator('.b[data-sku="TEE-ORG-XL-WHT"] [data-status="out_of_stock"]').waitFor();
      await box.locator("button[data-notify]").click();
      const form = box.locator("form.n");
      expect(await form.innerText()).toContain(CONSENT);
      await form.locator('input[name="email"]').fill("shopper@example.com");
      // Without the ticked consent the browser sends nothing.
      await form.locator('button[type="submit"]').click();
      await page.waitForTimeout(300);
      expect(hooks).toEqual([]);
      await form.locator('input[name="consent"]').check();
      await form.locator('button[type="submit"]').click();
      await box.locator("[data-notify-sent]").waitFor();
      await expect.poll(() => hooks.length, { timeout: 10_000 }).toBe(1);
      const [hook] = hooks;
      const header = (name: string) => String(hook?.headers[name] ?? "");
      const signed = { id: header("webhook-id"), timestamp: header("webhook-timestamp"), signature: header("webhook-signature") };
      expect(await verifyStandardWebhook(secret, signed, hook?.body ?? "", Date.now() / 1000)).toBeUndefined();
      expect(BackInStockWebhook.parse(JSON.parse(hook?.body ?? "{}"))).toMatchObject({
        type: "back_in_stock.confirmation_requested",
        data: { shop: "demo", sku: "TEE-ORG-XL-WHT", email: "shopper@example.com", locale: "de-DE", consentText: CONSENT },
      });
      await screenshot(page, "widget-notify-me");
      expect((await layoutShift(page)).total).toBe(0);
      await page.close();
    } finally {
      receiver.close();
    }
  });
});

describe("tracking page", () => {
  it("looks an order up by number and email and links the carrier", async () => {
    const page = await open("tracking.html");
    const box = page.locator('[data-backroom="tracking"]');
    await box.locator('input[name="order"]').fill("#1001");
    await box.locator('input[name="email"]').fill("someone-else@example.com");
    await box.locator('button[type="submit"]').click();
    await box.getByText("Keine Bestellung mit dieser Nummer und E-Mail.").waitFor();
    await box.locator('input[name="email"]').fill("anna@example.com");
    await box.locator('button[type="submit"]').click();
    await box.locator('[data-order="#1001"]').waitFor();
    expect(await box.locator("[data-order] [data-status]").innerText()).toBe("Versandt");
    expect(await box.locator("[data-order] li").allInnerTexts()).toEqual([expect.stringMatching(/^Bestätigt /), expect.stringMatching(/^Versandt /)]);
    const link = box.locator('[data-shipment="3318810025"] a');
    expect(await link.innerText()).toBe("3318810025");
    expect(await link.getAttribute("href")).toMatch(/^https?:\/\/[^/]*dhl\.com\/.*3318810025/);
    await screenshot(page, "widget-tracking");
    await page.close();
  });
});

describe("served by the worker", () => {
  it("serves /widget.js with short cache headers and a content-hashed immutable copy", async () => {
    const res = await fetch(`${edge.url}/widget.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/javascript/);
    expect(res.headers.get("cache-control")).toBe("public, max-age=300, stale-while-revalidate=86400");
    const version = res.headers.get("x-backroom-widget");
    expect(version).toMatch(/^[0-9a-f]{10}$/);
    const code = await res.text();
    const pinned = await fetch(`${edge.url}/widget-${version}.js`);
    expect(pinned.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(await pinned.text()).toBe(code);
    const config = await fetch(`${edge.url}/v1/shops/demo/config`);
    expect(await config.json()).toEqual({ locale: "de-DE", currency: "EUR" });
    expect((await fetch(`${edge.url}/demo/`)).status).toBe(200);
  });
});

describe("a good guest", () => {
  const PAGES = ["plain.html", "shopify.html", "woocommerce.html", "tracking.html"];
  /** Computed styles of the page's own elements, and its stylesheets: everything the widget must not change. */
  const pageLook = (page: Page) =>
    page.evaluate(() => {
      const props = ["font-family", "font-size", "color", "background-color", "letter-spacing", "margin-top", "padding-top", "display", "outline-style"];
      const look: string[] = [];
      for (const el of document.querySelectorAll("body *:not([data-backroom-host])")) {
        const cs = getComputedStyle(el);
        look.push(`${el.tagName}${el.id ? `#${el.id}` : ""}:${props.map((p) => cs.getPropertyValue(p)).join("|")}`);
      }
      return {
        look,
        sheets: document.styleSheets.length,
        adopted: document.adoptedStyleSheets.length,
        hosts: document.querySelectorAll("[data-backroom-host]").length,
      };
    });

  it.each(PAGES)("%s: the page's own styles are untouched and nothing shifts", async (path) => {
    const bare = await browser.newPage();
    await bare.route("**/widget.js", (r) => r.abort());
    await bare.goto(`${edge.url}/demo/${path}`);
    const before = await pageLook(bare);
    await bare.close();

    const page = await open(path);
    await page.locator("[data-backroom-host] .b").first().waitFor();
    await page.waitForTimeout(500);
    const after = await pageLook(page);
    expect(after.hosts).toBeGreaterThan(0);
    expect({ ...after, hosts: 0 }).toEqual({ ...before, hosts: 0 });
    // The page's `.s, .b { outline: dashed magenta }` must not reach inside the shadow root either.
    expect(
      await page
        .locator("[data-backroom-host] .b")
        .first()
        .evaluate((el) => getComputedStyle(el).outlineStyle),
    ).toBe("none");
    expect(await layoutShift(page)).toEqual({ total: 0, entries: 0 });
    await page.close();
  });

  it("leaves the page exactly as it was when the edge fails", async () => {
    const page = await browser.newPage();
    await page.route("**/v1/shops/**", (r) => r.fulfill({ status: 503, body: "down" }));
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(`${edge.url}/demo/shopify.html`);
    await page.waitForTimeout(800);
    expect(await page.locator("[data-backroom-host]").count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("opens one availability request and one WebSocket per page, and unmount() closes everything", async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes("/v1/shops/")) requests.push(new URL(r.url()).pathname);
    });
    const sockets: Array<{ url: string; closed: boolean }> = [];
    page.on("websocket", (ws) => {
      const entry = { url: ws.url(), closed: false };
      sockets.push(entry);
      ws.on("close", () => {
        entry.closed = true;
      });
    });
    await page.goto(`${edge.url}/demo/plain.html`);
    await page.locator('[data-backroom-sku="HOODIE-S"] [data-status]').waitFor();
    await page.waitForTimeout(500);
    expect(requests.filter((p) => p.endsWith("/availability"))).toHaveLength(1);
    expect(sockets).toHaveLength(1);
    expect(new URL(sockets[0]?.url ?? "").searchParams.getAll("sku").sort()).toEqual(["HOODIE-L", "HOODIE-M", "HOODIE-S", "MUG-ENAMEL"]);
    await page.evaluate(() => Reflect.get(window, "Backroom").unmount());
    await expect.poll(() => sockets[0]?.closed).toBe(true);
    expect(await page.locator("[data-backroom-host]").count()).toBe(0);
    await page.close();
  });
});

describe("a shop that moves into a stock pool (issue 17: the sockets live in the pool's object)", () => {
  it("its open page's socket is closed by the old pool's object, reconnects into the new pool's and is live there", async () => {
    const shop = "e2e-mover";
    const admin = { authorization: `Bearer ${edge.adminToken}`, "content-type": "application/json" };
    const created = await fetch(`${edge.url}/v1/admin/shops`, {
      method: "POST",
      headers: admin,
      body: JSON.stringify({ id: shop, name: "Mover", platform: "custom", origins: [edge.url], currency: "EUR", locale: "de-DE", lowStockThreshold: 5 }),
    });
    expect(created.status).toBe(201);
    const page = await browser.newPage();
    const sockets: Array<{ closed: boolean }> = [];
    page.on("websocket", (ws) => {
      const entry = { closed: false };
      sockets.push(entry);
      ws.on("close", () => {
        entry.closed = true;
      });
    });
    // The plain demo page, selling as the new shop (a pool of one, no stock yet), on the edge's origin.
    const html = (await (await fetch(`${edge.url}/demo/plain.html`)).text())
      .replace("<head>", `<head><base href="${edge.url}/demo/plain.html">`)
      .replaceAll('data-shop="demo"', `data-shop="${shop}"`);
    await page.goto(`${edge.url}/healthz`);
    await page.setContent(html);
    await expect.poll(() => sockets.length).toBe(1);
    await page.waitForTimeout(300);
    expect(sockets.map((s) => s.closed)).toEqual([false]);
    expect(await page.locator('[data-backroom-sku="HOODIE-L"] [data-status="in_stock"]').count()).toBe(0);
    const joined = await fetch(`${edge.url}/v1/admin/pools/demo/channels/${shop}`, { method: "PUT", headers: admin, body: "{}" });
    expect(joined.status, await joined.clone().text()).toBe(200);
    // Closed by the old object (1012), reopened by the widget into the pool's object; the page then shows the pool's stock.
    await expect.poll(() => sockets.map((s) => s.closed), { timeout: 10_000 }).toEqual([true, false]);
    await page.locator('[data-backroom-sku="HOODIE-L"] [data-status="in_stock"]').waitFor({ timeout: 10_000 });
    await pushStock(edge.url, secrets.erpSecret, "HOODIE-L", "HAM", 2);
    await page.locator('[data-backroom-sku="HOODIE-L"] [data-status="low_stock"]').waitFor({ timeout: 5_000 });
    expect(await page.locator('[data-backroom-sku="HOODIE-L"] [data-status]').innerText()).toBe("Nur noch 2 verfügbar");
    await pushStock(edge.url, secrets.erpSecret, "HOODIE-L", "HAM", 12);
    expect((await fetch(`${edge.url}/v1/admin/pools/demo/channels/${shop}`, { method: "DELETE", headers: admin })).status).toBe(200);
    await page.close();
  });
});
