import { spawnSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type BrowserContext, chromium, type Frame, type Page, type Worker } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { promiseLines } from "../../extension/lib/ui/promise-lines";
import { QUALITY_LABELS } from "../../extension/lib/ui/quality-labels";
import { AuditSummary, PromiseAnswer, StaffOrder, StaffProduct, SyncHealth } from "../../worker/contract";
import { QualityReport, StaffForecast } from "../../worker/contract/quality";
import { createShopifyFake, SHOPIFY_TOKEN } from "../fakes/shopify/app";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./chromium";
import { type Edge, startEdge } from "./edge";
import { serveFake, startAdminServer, startRecordingProxy } from "./extension-admin-server";
import { e2ePort } from "./ports";

const ROOT = resolve(import.meta.dirname, "../..");
const EXT = join(ROOT, "extension/.output/chrome-mv3");
const ARTIFACTS = join(ROOT, "test/.artifacts");
const EDGE_PORT = e2ePort(8830);
const ADMIN_PORT = e2ePort(8831);
const ERP_PORT = e2ePort(8832);
const PROXY_PORT = e2ePort(8833);
const SHOPIFY_API_PORT = e2ePort(8834);
const SHOP = "acme";
const SHOPIFY_ADMIN = "http://admin.shopify.com/store/acme";

let edge: Edge;
let admin: { url: string; stop: () => Promise<void> };
/** The edge as the extension sees it: through a proxy that records every request the background makes. */
let proxy: { url: string; seen: string[]; stop: () => Promise<void> };
let context: BrowserContext;
let profile: string;
let extensionId: string;
let background: Worker;
let secrets: { erpSecret: string; staffKey: string; platformWebhookSecret?: string };
/** The shop's ERP order endpoint: refuses orders (422, a permanent failure) until told to accept them. */
const erp = { accept: false, received: 0, server: undefined as Server | undefined };

function startErp(): Promise<void> {
  erp.server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      erp.received++;
      res.writeHead(erp.accept ? 200 : 422, { "content-type": "application/json" });
      res.end(JSON.stringify(erp.accept ? { erpRef: "SO-88" } : { error: "unknown customer group" }));
    });
  });
  return new Promise((ok) => erp.server?.listen(ERP_PORT, "127.0.0.1", () => ok()));
}

let pushes = 0;
async function erpPush(resource: string, body: unknown): Promise<void> {
  const raw = JSON.stringify(body);
  const id = `ext_e2e_${++pushes}_${Date.now()}`;
  const ts = Math.floor(Date.now() / 1000);
  const key = secrets.erpSecret.startsWith("whsec_") ? Buffer.from(secrets.erpSecret.slice(6), "base64") : Buffer.from(secrets.erpSecret);
  const signature = `v1,${createHmac("sha256", key).update(`${id}.${ts}.${raw}`).digest("base64")}`;
  const res = await fetch(`${edge.url}/v1/erp/${SHOP}/${resource}`, {
    method: "POST",
    headers: { "content-type": "application/json", "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": signature },
    body: raw,
  });
  const text = await res.text();
  if (res.status !== 200 || JSON.parse(text).rejected.length > 0) throw new Error(`push ${resource}: ${res.status} ${text}`);
}

/** Shopify's documented orders/create body (test/fixtures/shopify), as a fresh open order for our catalogue. */
async function shopifyOrderWebhook(orderId: string, number: number, lines: Array<{ sku: string; qty: number; productId: number; variantId: number }>) {
  const { default: sample } = await import("../fixtures/shopify/orders_create.json");
  const o: Record<string, unknown> = structuredClone(sample.response);
  const template = (o.line_items as Array<Record<string, unknown>>)[0] ?? {};
  Object.assign(o, {
    id: 0,
    admin_graphql_api_id: `gid://shopify/Order/${orderId}`,
    name: `#${number}`,
    order_number: number,
    cancelled_at: null,
    cancel_reason: null,
  });
  o.financial_status = "pending";
  o.line_items = lines.map((l, i) => ({
    ...template,
    id: 9100 + i,
    admin_graphql_api_id: `gid://shopify/LineItem/${orderId}${i}`,
    sku: l.sku,
    quantity: l.qty,
    current_quantity: l.qty,
    product_id: l.productId,
    variant_id: l.variantId,
  }));
  // The real body carries the 64-bit id as a JSON number; written into the raw text, never through a double.
  const body = JSON.stringify(o).replace('"id":0,', `"id":${orderId},`);
  const hmac = createHmac("sha256", secrets.platformWebhookSecret ?? "")
    .update(body)
    .digest("base64");
  const res = await fetch(`${edge.url}/v1/hooks/shopify/${SHOP}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-shopify-topic": "orders/create", "x-shopify-webhook-id": `wh-${orderId}`, "x-shopify-hmac-sha256": hmac },
    body,
  });
  if (res.status !== 200) throw new Error(`shopify hook: ${res.status} ${await res.text()}`);
}

async function staff<T>(path: string, schema: { parse: (v: unknown) => T }): Promise<T> {
  const res = await fetch(`${edge.url}/v1/staff/${SHOP}${path}`, { headers: { authorization: `Bearer ${secrets.staffKey}` } });
  if (!res.ok) throw new Error(`staff ${path}: ${res.status} ${await res.text()}`);
  return schema.parse(await res.json());
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

async function shot(page: Page, name: string) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `extension-${name}.png`), fullPage: true });
}

const panel = (page: Page | Frame) => page.locator("backroom-panel section.panel");
const cell = (page: Page, warehouse: string, field: string) => page.locator(`backroom-panel tr[data-warehouse="${warehouse}"] td[data-field="${field}"]`);

async function configureShop(page: Page, form: string, values: { edgeUrl: string; shopId: string; staffKey: string; adminUrls: string; label?: string }) {
  const f = page.locator(form);
  for (const [name, value] of Object.entries(values)) await f.locator(`[name="${name}"]`).fill(value);
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/**
 * axe-core's WCAG 2 A/AA rules over the page, reporting only what the extension drew (its shadow
 * hosts, or all of an extension page): the fixture pages imitate admins, their own markup is not ours.
 */
async function axeViolations(page: Page, ours: "backroom" | "all" = "backroom") {
  await page.evaluate(AXE_SOURCE);
  const results: Array<{ id: string; impact: string; nodes: Array<{ target: unknown; failureSummary?: string }> }> = await page.evaluate(async () => {
    const axe = Reflect.get(window, "axe") as { run: (ctx: Document, opts: unknown) => Promise<{ violations: never[] }> };
    return (await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21aa"] }, resultTypes: ["violations"] })).violations;
  });
  return results
    .map((v) => ({ ...v, nodes: v.nodes.filter((n) => ours === "all" || JSON.stringify(n.target).includes("backroom-")) }))
    .filter((v) => v.nodes.length > 0)
    .map((v) => `${v.id}: ${v.nodes.map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ""}`).join(" | ")}`);
}

/** The panel's box and the widest thing in it, measured inside its shadow root. */
function panelFit(page: Page) {
  return page.evaluate(() => {
    const host = document.querySelector("backroom-panel");
    const panel = host?.shadowRoot?.querySelector("section.panel");
    if (!panel) return undefined;
    const box = panel.getBoundingClientRect();
    let right = box.right;
    for (const el of panel.querySelectorAll("*")) {
      const r = el.getBoundingClientRect();
      if (r.width > 0) right = Math.max(right, r.right);
    }
    return { width: box.width, height: box.height, overflow: Math.round(right - box.right), scroll: panel.scrollWidth - panel.clientWidth };
  });
}

beforeAll(async () => {
  const build = spawnSync(join(ROOT, "node_modules/.bin/wxt"), ["build", "extension"], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  if (build.status !== 0) throw new Error(`wxt build failed:\n${build.stdout}\n${build.stderr}`);

  edge = await startEdge({ port: EDGE_PORT });
  const created = await fetch(`${edge.url}/v1/admin/shops`, {
    method: "POST",
    headers: { authorization: `Bearer ${edge.adminToken}`, "content-type": "application/json" },
    body: JSON.stringify({
      id: SHOP,
      name: "Acme",
      platform: "shopify",
      origins: ["http://admin.shopify.com"],
      currency: "EUR",
      locale: "en-US",
      platformWebhookSecret: "shpss_e2e_platform_secret",
    }),
  });
  if (created.status !== 201) throw new Error(`create shop: ${created.status} ${await created.text()}`);
  secrets = { ...(await created.json()), platformWebhookSecret: "shpss_e2e_platform_secret" };

  const v = Date.now();
  await erpPush("warehouses", {
    warehouses: [
      { code: "BER", name: "Berlin" },
      { code: "HAM", name: "Hamburg" },
    ],
  });
  await erpPush("products", {
    products: [
      { sku: "TEE-M", name: "Tee M", cost: "4.20", currency: "EUR", gtin: "4006381333931", version: v },
      { sku: "MUG", name: "Mug", backorder: true, version: v },
    ],
  });
  await erpPush("stock", {
    items: [
      { sku: "TEE-M", warehouse: "BER", onHand: 10, committed: 2, incoming: [{ qty: 20, eta: "2099-03-14", ref: "PO-4711" }], version: v },
      { sku: "TEE-M", warehouse: "HAM", onHand: 5, version: v },
      { sku: "MUG", warehouse: "BER", onHand: 0, version: v },
    ],
  });
  await erpPush("prices", {
    lists: [
      { id: "retail", name: "Retail", currency: "EUR" },
      { id: "b2b-gold", name: "B2B Gold", currency: "EUR" },
    ],
    prices: [
      { list: "retail", sku: "TEE-M", minQty: 1, unitPrice: "19.90", version: v },
      { list: "b2b-gold", sku: "TEE-M", minQty: 1, unitPrice: "12.00", version: v },
      { list: "b2b-gold", sku: "TEE-M", minQty: 50, unitPrice: "10.50", version: v },
    ],
  });
  await erpPush("orders", {
    orders: [
      {
        orderRef: "5001",
        orderNumber: "#1001",
        erpRef: "SO-77",
        status: "shipped",
        shipments: [{ carrier: "dhl", trackingNumber: "00340434161094042557" }],
        at: "2026-11-21T09:30:00Z",
        version: v,
      },
    ],
  });
  await startErp();
  const settings = await fetch(`${edge.url}/v1/admin/shops/${SHOP}/orders-settings`, {
    method: "PUT",
    headers: { authorization: `Bearer ${edge.adminToken}`, "content-type": "application/json" },
    body: JSON.stringify({ erpEndpointUrl: `http://127.0.0.1:${ERP_PORT}/orders` }),
  });
  if (settings.status !== 200) throw new Error(`orders-settings: ${settings.status} ${await settings.text()}`);
  // A shop order through Shopify's own webhook: reserves stock and teaches the edge Shopify's ids.
  await shopifyOrderWebhook("5002", 1002, [{ sku: "TEE-M", qty: 2, productId: 8001, variantId: 44001 }]);
  await waitFor(
    "the webhook's order at the edge",
    async () => (await fetch(`${edge.url}/v1/staff/${SHOP}/orders/5002`, { headers: { authorization: `Bearer ${secrets.staffKey}` } })).ok || undefined,
  );

  admin = await startAdminServer(ADMIN_PORT);
  proxy = await startRecordingProxy(PROXY_PORT, edge.url);
  profile = mkdtempSync(join(tmpdir(), "backroom-ext-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: { width: 1280, height: 900 },
    locale: "en-US",
    args: [
      ...CHROMIUM_ARGS,
      `--host-resolver-rules=MAP admin.shopify.com 127.0.0.1:${ADMIN_PORT}`,
      `--disable-extensions-except=${EXT}`,
      `--load-extension=${EXT}`,
    ],
  });
  background = context.serviceWorkers()[0] ?? (await context.waitForEvent("serviceworker"));
  extensionId = new URL(background.url()).host;
});

afterAll(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  await admin?.stop();
  await proxy?.stop();
  await new Promise((ok) => (erp.server ? erp.server.close(ok) : ok(undefined)));
  await edge?.stop();
});

describe("staff extension in Chromium against a running edge", () => {
  it("options page: tells an unknown shop, a bad key and an unreachable edge apart, then connects and saves", async () => {
    const page = await context.newPage();
    await page.goto(`chrome-extension://${extensionId}/options.html`);
    const form = "fieldset";
    const status = page.locator(`${form} [data-status]`);
    const good = { edgeUrl: proxy.url, shopId: SHOP, staffKey: secrets.staffKey, adminUrls: SHOPIFY_ADMIN, label: "Acme Shopify" };

    await configureShop(page, form, { ...good, staffKey: "sk_wrong" });
    await page.getByRole("button", { name: "Test connection" }).click();
    await expect.poll(() => status.textContent()).toContain(`Bad staff key: the edge rejected it for shop "${SHOP}"`);

    await configureShop(page, form, { ...good, shopId: "nope" });
    await page.getByRole("button", { name: "Test connection" }).click();
    await expect.poll(() => status.textContent()).toContain('Unknown shop: the edge has no shop "nope"');

    await configureShop(page, form, { ...good, edgeUrl: `http://127.0.0.1:${e2ePort(8839)}` });
    await page.getByRole("button", { name: "Test connection" }).click();
    await expect.poll(() => status.textContent()).toContain(`Edge unreachable: nothing answered at http://127.0.0.1:${e2ePort(8839)}`);

    // Something answers there, but it is the admin, not an edge: a wrong URL, not an edge that is down.
    await configureShop(page, form, { ...good, edgeUrl: admin.url });
    await page.getByRole("button", { name: "Test connection" }).click();
    await expect.poll(() => status.textContent()).toContain(`Wrong edge URL: something answered at ${admin.url}, but it is not a Backroom edge`);

    // Messages name the fields as the form does.
    await configureShop(page, form, { ...good, edgeUrl: "not a url" });
    await page.getByRole("button", { name: "Test connection" }).click();
    await expect.poll(() => status.textContent()).toMatch(/^Check Edge URL: /);

    await configureShop(page, form, good);
    await page.getByRole("button", { name: "Test connection" }).click();
    await expect.poll(() => status.textContent()).toContain(`Connected: shop "${SHOP}"`);
    await shot(page, "options");
    await page.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => page.locator("fieldset").count()).toBe(2);
    // The saved shop is labelled and shows its live connection.
    const saved = page.locator("fieldset").first();
    expect(await saved.locator("legend").textContent()).toContain("Acme Shopify");
    await expect.poll(() => saved.locator('[data-field="liveState"]').getAttribute("data-state"), { timeout: 15_000 }).toBe("live");
    expect(await axeViolations(page, "all")).toEqual([]);
    await page.close();
  });

  it("live: a signed stock push shows in the open product panel within 1 s, with its age", async () => {
    const page = await context.newPage();
    await page.goto(`${SHOPIFY_ADMIN}/products/8001`);
    await expect.poll(() => panel(page).getAttribute("data-backroom"), { timeout: 15_000 }).toBe("product");
    await expect.poll(() => page.locator('backroom-panel [data-field="live"]').textContent(), { timeout: 15_000 }).toContain("live");
    const before = Number(await cell(page, "HAM", "onHand").textContent());
    const target = before + 40;
    const pushed = Date.now();
    await erpPush("stock", { items: [{ sku: "TEE-M", warehouse: "HAM", onHand: target, version: Date.now() }] });
    let shownAfter = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 400; i++) {
      if ((await cell(page, "HAM", "onHand").textContent()) === String(target)) {
        shownAfter = Date.now() - pushed;
        break;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    console.log(`ERP stock push → extension panel updated: ${shownAfter} ms`);
    expect(shownAfter).toBeLessThan(1_000);
    const truth = await staff("/products/TEE-M", StaffProduct);
    expect(await cell(page, "total", "available").textContent()).toBe(String(truth.available));
    expect(await page.locator('backroom-panel [data-field="summaryAvailable"]').textContent()).toBe(String(truth.available));
    expect(await page.locator('backroom-panel [data-field="updated"]').textContent()).toMatch(/^Updated (just now|\d+ s ago)$/);
    await page.close();
  });

  it("fit: in a 327 px (and a 280 px) admin column the panel has no horizontal overflow, summary first, sections collapsible", async () => {
    const page = await context.newPage();
    await page.setViewportSize({ width: 1000, height: 900 });
    await page.goto(`${SHOPIFY_ADMIN}/products/8001`);
    await expect.poll(() => panel(page).getAttribute("data-backroom"), { timeout: 15_000 }).toBe("product");
    for (const width of [327, 280]) {
      await page.evaluate((w) => {
        const column = document.querySelector<HTMLElement>(".Polaris-Layout__Section--secondary");
        if (column) column.style.cssText = `width: ${w}px; max-width: ${w}px; flex: none`;
      }, width);
      const fit = await panelFit(page);
      console.log(`panel in a ${width} px column: ${JSON.stringify(fit)}`);
      expect(fit?.width).toBeLessThanOrEqual(width);
      expect(fit?.overflow).toBeLessThanOrEqual(0);
      expect(fit?.scroll).toBe(0);
      // Compact: the issue measured 796 px at 327 px wide, pushing the admin's own cards down.
      expect(fit?.height).toBeLessThan(420);
    }
    await shot(page, "shopify-product-327px");
    const order = await page.evaluate(() =>
      [...(document.querySelector("backroom-panel")?.shadowRoot?.querySelector("section.panel")?.children ?? [])].map(
        (e) => e.getAttribute("data-field") ?? e.getAttribute("data-section") ?? e.className,
      ),
    );
    expect(order.indexOf("summary")).toBeLessThan(order.indexOf("warehouses"));
    expect(await page.locator("backroom-panel").getAttribute("data-platform")).toBe("shopify");
    // Collapsible: the incoming section opens on click.
    const incoming = page.locator('backroom-panel details[data-section="incoming"]');
    expect(await incoming.getAttribute("open")).toBeNull();
    await incoming.locator("summary").click();
    expect(await incoming.getAttribute("open")).toBe("");
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it("product page: the panel shows exactly the edge's numbers, and warns that Shopify's stock differs", async () => {
    const truth = await staff("/products/TEE-M", StaffProduct);
    // The webhook's order reserved 2 of TEE-M: the edge's numbers are not just what the ERP pushed.
    expect(truth.warehouses.reduce((s, w) => s + w.reserved, 0)).toBe(2);
    const page = await context.newPage();
    await page.goto(`${SHOPIFY_ADMIN}/products/8001`);
    await expect.poll(() => panel(page).getAttribute("data-backroom"), { timeout: 15_000 }).toBe("product");
    for (const w of truth.warehouses) {
      expect(await cell(page, w.code, "onHand").textContent()).toBe(String(w.onHand));
      expect(await cell(page, w.code, "committed").textContent()).toBe(String(w.committed));
      expect(await cell(page, w.code, "reserved").textContent()).toBe(String(w.reserved));
      expect(await cell(page, w.code, "available").textContent()).toBe(String(w.available));
    }
    expect(await cell(page, "total", "available").textContent()).toBe(String(truth.available));
    const mismatch = page.locator('backroom-panel [data-field="mismatch"]');
    expect(await mismatch.textContent()).toBe(`Shopify shows 12 in stock, Backroom's available is ${truth.available}.`);
    // A status, not an alert: it is read out once, politely, not on every load as an interruption.
    expect(await mismatch.getAttribute("role")).toBe("status");
    expect(await page.locator('backroom-panel [data-field="incoming"]').textContent()).toContain("PO-4711");
    expect(await page.locator('backroom-panel [data-field="nextIncoming"]').textContent()).toContain("20");
    expect(await page.locator('backroom-panel [data-field="cost"]').textContent()).toBe("€4.20");
    // Margin at the price the page sells at (Shopify's €19.90), not at a B2B list: 19.90 − 4.20 = 15.70 = 78.9 %.
    expect(await page.locator('backroom-panel [data-field="margin"]').textContent()).toBe("€15.70 (78.9 %)at the Shopify price €19.90");
    expect(await page.locator('backroom-panel tr[data-list="b2b-gold"] th').first().textContent()).toBe("B2B Gold");
    expect(await page.locator('backroom-panel [data-field="priceLists"] tr[data-list="b2b-gold"]').count()).toBe(2);
    await shot(page, "shopify-product");

    // SPA navigation (history.pushState, no page load): the panel follows to the order.
    await page.evaluate(() => Reflect.set(window, "__sameDocument", true));
    await page.getByRole("link", { name: "Order #1001" }).click();
    await expect.poll(() => panel(page).getAttribute("data-backroom"), { timeout: 15_000 }).toBe("order");
    expect(page.url()).toBe(`${SHOPIFY_ADMIN}/orders/5001`);
    expect(await page.evaluate(() => Reflect.get(window, "__sameDocument"))).toBe(true);
    const order = await staff("/orders/5001", StaffOrder);
    expect(await page.locator('backroom-panel [data-field="status"]').textContent()).toBe(order.status);
    expect(await page.locator('backroom-panel [data-field="erpRef"]').textContent()).toBe("SO-77");
    const tracking = page.locator('backroom-panel [data-field="shipments"] a');
    expect(await tracking.textContent()).toBe("00340434161094042557");
    expect(await tracking.getAttribute("href")).toBe(order.shipments[0]?.trackingUrl);
    expect(await page.locator("backroom-panel").count()).toBe(1);
    expect(await page.locator('backroom-panel [data-field="delivery"]').textContent()).toBe("Created in the ERP: nothing to deliver to it.");
    await shot(page, "shopify-order-after-spa-navigation");

    // On to the product list, still without a page load: one badge per row from one batched lookup.
    const sent = proxy.seen.length;
    await page.getByRole("link", { name: "Products" }).click();
    await expect.poll(() => page.locator("backroom-badge [data-backroom='badge']").count(), { timeout: 15_000 }).toBe(4);
    expect(proxy.seen.slice(sent).filter((r) => r.includes("/products"))).toEqual([
      `GET /v1/staff/${SHOP}/products?platformId=8001&platformId=8002&platformId=8003&platformId=8999&kind=product`,
    ]);
    expect(await page.locator("backroom-panel").count()).toBe(0);
    const row = (id: string) => page.locator(`tr[id="gid://shopify/Product/${id}"] backroom-badge [data-backroom='badge']`);
    // The list shows Shopify's own "12 in stock": a row whose stock differs from Backroom's says so, in amber.
    expect(await row("8001").textContent()).toBe(`${truth.available} available · shop shows 12`);
    expect(await row("8001").getAttribute("data-tone")).toBe("mismatch");
    expect(await row("8002").textContent()).toBe("not in ERP");
    await shot(page, "shopify-products-badges");
    await page.close();
  });

  it("forecast (issue 15): the product panel shows each warehouse's demand chart, days of cover and the reorder suggestion", async () => {
    // Eight weeks of TEE-M sales in Berlin, up to yesterday, pushed as an ERP's sales history.
    const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
    const sales = Array.from({ length: 56 }, (_, i) => ({
      sku: "TEE-M",
      warehouse: "BER",
      date: new Date(today - (i + 1) * 86_400_000).toISOString().slice(0, 10),
      qty: 3,
    }));
    await erpPush("sales", { sales });
    const truth = await staff("/forecast/TEE-M", StaffForecast);
    const berlin = truth.warehouses.find((w) => w.warehouse === "BER");
    expect(berlin?.class).toBe("regular");
    const page = await context.newPage();
    await page.goto(`${SHOPIFY_ADMIN}/products/8001`);
    const details = page.locator('backroom-panel [data-field="demandForecast"]');
    await expect.poll(() => details.count(), { timeout: 15_000 }).toBe(1);
    expect(await details.locator("summary").textContent()).toBe(berlin?.reorderNow ? "Forecast · reorder now" : "Forecast");
    await details.locator("summary").click();
    const section = details.locator('[data-warehouse="BER"]');
    expect(await section.locator("svg rect").count()).toBe(24);
    expect(await section.locator('[data-field="reorderPoint"]').textContent()).toBe(String(berlin?.reorderPoint));
    expect(await section.locator('[data-field="suggestedQty"]').getAttribute("data-urgent")).toBe(String(berlin?.reorderNow));
    expect(await section.locator('[data-field="cover"]').textContent()).toBe(
      berlin?.coverDays === undefined ? "> 12 weeks" : `${Number.isInteger(berlin.coverDays) ? berlin.coverDays : berlin.coverDays.toFixed(1)} days`,
    );
    await shot(page, "shopify-product-forecast");
    await page.close();
  });

  it("a failing delivery is red in the list, the panel, the popup and the toolbar; Replay shows its outcome live and keeps every attempt", async () => {
    const failed = await waitFor("a failed delivery of order 5002", async () =>
      (await staff("/orders/5002", StaffOrder)).deliveries?.find((x) => x.status === "failed"),
    );
    expect(failed.lastError).toBeTruthy();
    const toolbar = () => background.evaluate<string>("chrome.action.getBadgeText({})");
    await expect.poll(toolbar, { timeout: 15_000 }).toBe("1");
    expect(await background.evaluate<number[]>("chrome.action.getBadgeBackgroundColor({})")).toEqual([179, 38, 30, 255]);

    // The order list: an order the ERP never received must not look "received".
    const list = await context.newPage();
    await list.goto(`${SHOPIFY_ADMIN}/orders`);
    const badge = (ref: string) => list.locator(`tr:has(a[href$="/orders/${ref}"]) backroom-badge [data-backroom='badge']`);
    await expect.poll(() => badge("5002").textContent(), { timeout: 15_000 }).toBe("ERP: delivery failed");
    expect(await badge("5002").getAttribute("data-tone")).toBe("failed");
    expect(await axeViolations(list)).toEqual([]);
    await shot(list, "shopify-orders-failing");

    // The popup lists it, linked to the order in the admin.
    const popup = await context.newPage();
    await popup.goto(`chrome-extension://${extensionId}/popup.html`);
    const row = popup.locator(`[data-field="failures"] li[data-delivery="${failed.id}"]`);
    await expect.poll(() => row.getAttribute("data-status"), { timeout: 15_000 }).toBe("failed");
    expect(await row.locator("a").getAttribute("href")).toBe(`${SHOPIFY_ADMIN}/orders/5002`);
    expect(await row.textContent()).toContain("New order");
    expect(await row.textContent()).not.toContain("order.created");
    expect(await popup.getByRole("button", { name: "Replay all failed (1)" }).count()).toBe(1);
    expect(await popup.locator('[data-field="updated"]').textContent()).toMatch(/^Updated (just now|\d+ s ago)$/);
    expect(await axeViolations(popup, "all")).toEqual([]);
    await shot(popup, "popup-failures");

    const page = await context.newPage();
    await page.goto(`${SHOPIFY_ADMIN}/orders/5002`);
    await expect.poll(() => panel(page).getAttribute("data-backroom"), { timeout: 15_000 }).toBe("order");
    const order = await staff("/orders/5002", StaffOrder);
    expect(await page.locator('backroom-panel [data-field="status"]').textContent()).toBe(order.status);
    expect(await page.locator('backroom-panel [data-field="delivery"]').getAttribute("data-tone")).toBe("failed");
    const delivery = page.locator(`backroom-panel li[data-delivery="${failed.id}"]`);
    expect(await delivery.locator(".badge").first().textContent()).toBe("failed");
    expect(await delivery.locator(".error").first().textContent()).toBe(failed.lastError);
    expect(await delivery.locator('[data-field="attempts"]').textContent()).toBe(`${failed.attempts} attempt${failed.attempts === 1 ? "" : "s"}`);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, "shopify-order-failed-delivery");

    // The ERP is fixed; staff replay from the panel and the outcome arrives without a reload.
    erp.accept = true;
    const before = erp.received;
    await delivery.getByRole("button", { name: "Replay" }).click();
    await expect.poll(() => page.locator(`backroom-panel li[data-delivery="${failed.id}"]`).getAttribute("data-status"), { timeout: 15_000 }).toBe("delivered");
    expect(erp.received).toBeGreaterThan(before);
    // Every attempt is kept: the count goes on from the failure, it does not start again at 1.
    const replayed = page.locator(`backroom-panel li[data-delivery="${failed.id}"]`);
    expect(await replayed.locator('[data-field="attempts"]').textContent()).toBe(`${failed.attempts + 1} attempts`);
    expect(await replayed.locator('[data-field="history"] li').count()).toBe(failed.attempts + 1);
    await expect.poll(() => page.locator('backroom-panel [data-field="delivery"]').textContent()).toBe("Delivered to the ERP.");
    await shot(page, "shopify-order-replayed");

    // The list, the popup and the toolbar follow on their own.
    await expect.poll(() => badge("5002").textContent(), { timeout: 15_000 }).toBe(`ERP: ${(await staff("/orders/5002", StaffOrder)).status}`);
    await expect.poll(() => popup.locator(`[data-field="failures"] li[data-delivery="${failed.id}"]`).count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(toolbar, { timeout: 15_000 }).toBe("");

    const sent = proxy.seen.length;
    await page.goto(`${SHOPIFY_ADMIN}/orders`);
    await expect.poll(() => page.locator("backroom-badge [data-backroom='badge']").count(), { timeout: 15_000 }).toBe(3);
    expect(proxy.seen.slice(sent).filter((r) => r.includes("/orders"))).toEqual([`GET /v1/staff/${SHOP}/orders?ref=5001&ref=5002&ref=5003`]);
    const badges = await page.locator("backroom-badge [data-backroom='badge']").allTextContents();
    expect(badges).toEqual([
      `ERP: ${(await staff("/orders/5001", StaffOrder)).status}`,
      `ERP: ${(await staff("/orders/5002", StaffOrder)).status}`,
      "not in ERP",
    ]);
    for (const p of [page, list, popup]) await p.close();
  });
  it("self-hosted admins (WooCommerce, Magento) work once their origin is added, one edge and key serving both admin URLs", async () => {
    const options = await context.newPage();
    await options.goto(`chrome-extension://${extensionId}/options.html`);
    const form = "fieldset:last-of-type";
    await configureShop(options, form, {
      edgeUrl: proxy.url,
      shopId: SHOP,
      staffKey: secrets.staffKey,
      adminUrls: `${admin.url}/wp-admin\n${admin.url}/admin`,
      label: "Acme self-hosted",
    });
    await options.locator(form).getByRole("button", { name: "Save" }).click();
    await expect.poll(() => options.locator("fieldset").count()).toBe(3);
    await options.close();

    const page = await context.newPage();
    await page.goto(`${admin.url}/wp-admin/post.php?post=45&action=edit`);
    await expect.poll(() => panel(page).getAttribute("data-backroom"), { timeout: 15_000 }).toBe("product");
    const truth = await staff("/products/TEE-M", StaffProduct);
    expect(await cell(page, "total", "available").textContent()).toBe(String(truth.available));
    expect(await page.locator('backroom-panel [data-field="mismatch"]').textContent()).toBe(
      `WooCommerce shows 13 in stock, Backroom's available is ${truth.available}.`,
    );
    expect(await page.locator("backroom-panel").getAttribute("data-platform")).toBe("woocommerce");
    expect(await page.locator('backroom-panel [data-field="margin"]').textContent()).toBe("€15.70 (78.9 %)at the WooCommerce price €19.90");
    expect((await panelFit(page))?.overflow).toBeLessThanOrEqual(0);
    await shot(page, "woocommerce-product");

    // Magento's order view shows "# 000000001"; the ERP knows the order by that zero-padded number.
    await erpPush("orders", {
      orders: [{ orderRef: "100000001", orderNumber: "000000001", erpRef: "SO-91", status: "confirmed", at: "2026-11-22T10:00:00Z", version: Date.now() }],
    });
    await page.goto(`${admin.url}/admin/sales/order/view/order_id/1/`);
    await expect.poll(() => panel(page).getAttribute("data-backroom"), { timeout: 15_000 }).toBe("order");
    expect(await page.locator('backroom-panel [data-field="erpRef"]').textContent()).toBe("SO-91");
    expect(await page.locator('backroom-panel [data-field="delivery"]').textContent()).toBe("Created in the ERP: nothing to deliver to it.");
    expect(await page.locator("backroom-panel").getAttribute("data-platform")).toBe("magento");
    await shot(page, "magento-order");
    await page.close();
  });

  it("popup: labelled shops with their connection, search by barcode and partial SKU, and sync health", async () => {
    const page = await context.newPage();
    await page.goto(`chrome-extension://${extensionId}/popup.html`);
    expect(await page.locator('select[aria-label="Shop"] option').allTextContents()).toEqual(["Acme Shopify", "Acme self-hosted"]);
    await page.locator('select[aria-label="Shop"]').selectOption({ index: 0 });
    await expect.poll(() => page.locator('[data-field="liveState"]').getAttribute("data-state"), { timeout: 15_000 }).toBe("live");
    const truth = await staff("/products/TEE-M", StaffProduct);
    for (const q of ["tee", "4006381333931"]) {
      await page.locator('input[name="q"]').fill(q);
      await page.getByRole("button", { name: "Search" }).click();
      const hit = page.locator('[data-field="search"] tr[data-sku="TEE-M"]');
      await expect.poll(() => hit.locator('[data-field="available"]').textContent()).toBe(String(truth.available));
      expect(await hit.locator("th").textContent()).toContain("Tee M");
      expect(await hit.locator('[data-field="nextArrival"]').textContent()).toMatch(/^20 · /);
    }
    const health = await staff("/sync", SyncHealth);
    await expect
      .poll(() => page.locator('[data-field="sync"]').textContent())
      .toContain(`${health.pending} pending, ${health.retrying} retrying, ${health.failed} failed`);
    // The replay of the order-page test is in the staff audit summary, shown as a recent change.
    const audit = await staff("/audit", AuditSummary);
    expect(audit.entries[0]).toMatchObject({ action: "delivery.replayed", actorName: "shop key" });
    await expect.poll(() => page.locator('[data-field="audit"] li').first().textContent()).toContain("delivery replayed");
    await shot(page, "popup");
    await page.close();
  });

  it("landed cost: when the ERP sends one, the panel takes the margin on it and says so", async () => {
    const truth = await staff("/products/TEE-M", StaffProduct);
    await erpPush("products", {
      products: [{ sku: "TEE-M", name: "Tee M", cost: "4.20", landedCost: "5.10", currency: "EUR", gtin: "4006381333931", version: Date.now() }],
    });
    expect(await staff("/products/TEE-M", StaffProduct)).toMatchObject({
      cost: "4.20",
      landedCost: "5.10",
      marginOn: "landedCost",
      available: truth.available,
    });
    const page = await context.newPage();
    await page.goto(`${admin.url}/wp-admin/post.php?post=45&action=edit`);
    await expect.poll(() => panel(page).getAttribute("data-backroom"), { timeout: 15_000 }).toBe("product");
    // 19.90 − 5.10 = 14.80 = 74.4 % of the WooCommerce price, on the landed cost (not the bare 4.20).
    expect(await page.locator('backroom-panel [data-field="margin"]').textContent()).toBe("€14.80 (74.4 %)at the WooCommerce price €19.90on landed cost €5.10");
    expect(await page.locator('backroom-panel [data-field="cost"]').textContent()).toBe("€4.20");
    expect(await page.locator('backroom-panel [data-field="landedCost"]').textContent()).toBe("€5.10");
    await shot(page, "landed-cost");
    await page.close();
  });

  it("the product panel promises a typed quantity: what ships now from where, then the receipt it waits for (issue 12)", async () => {
    const truth = await staff("/promise?sku=TEE-M&qty=100", PromiseAnswer);
    const page = await context.newPage();
    await page.goto(`${admin.url}/wp-admin/post.php?post=45&action=edit`);
    await expect.poll(() => panel(page).getAttribute("data-backroom"), { timeout: 15_000 }).toBe("product");
    // It sits in the collapsed "Stock by warehouse" section, so the collapsed panel keeps its height.
    await page.locator('backroom-panel [data-section="warehouses"] summary').click();
    const form = page.locator('backroom-panel [data-field="promise"]');
    await form.getByRole("textbox", { name: "Quantity" }).fill("100");
    await form.getByRole("button", { name: "Check" }).click();
    const items = page.locator('backroom-panel [data-field="promiseLines"] li');
    await expect.poll(() => items.count(), { timeout: 15_000 }).toBe(promiseLines(truth).length);
    const text = await items.allTextContents();
    const line = truth.lines[0];
    for (const [i, part] of (line?.now ?? []).entries()) expect(text[i]).toMatch(new RegExp(`^${part.qty} now from ${part.warehouse}, ships `));
    for (const part of line?.dated ?? [])
      expect(text.some((t) => t.startsWith(`${part.qty} on `) && (part.refs.length === 0 || t.endsWith(`(${part.refs.join(", ")})`)))).toBe(true);
    expect(text.at(-1)).toMatch(line?.completeDate ? /^Complete by / : line?.backorder ? /^Orderable now as a backorder$/ : /^Cannot be promised complete$/);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, "promise");
    await page.close();
  });

  it("stock mismatch: 'Push ERP stock to the shop now' sends the edge's numbers to Shopify's API and shows what was sent", async () => {
    const shopify = createShopifyFake();
    shopify.items.set("TEE-M", "gid://shopify/InventoryItem/501");
    shopify.locations.add("gid://shopify/Location/1").add("gid://shopify/Location/2");
    const api = await serveFake(SHOPIFY_API_PORT, shopify);
    try {
      const put = await fetch(`${edge.url}/v1/staff/${SHOP}/connectors/platform`, {
        method: "PUT",
        headers: { authorization: `Bearer ${secrets.staffKey}`, "content-type": "application/json" },
        body: JSON.stringify({
          settings: {
            kind: "shopify",
            shopDomain: api.url,
            accessToken: SHOPIFY_TOKEN,
            apiVersion: "2026-10",
            locations: { BER: "gid://shopify/Location/1", HAM: "gid://shopify/Location/2" },
          },
          enabled: true,
        }),
      });
      expect(put.status).toBe(200);
      const truth = await staff("/products/TEE-M", StaffProduct);
      const page = await context.newPage();
      await page.goto(`${admin.url}/wp-admin/post.php?post=45&action=edit`);
      await expect.poll(() => panel(page).getAttribute("data-backroom"), { timeout: 15_000 }).toBe("product");
      expect(await page.locator('backroom-panel [data-field="mismatch"]').textContent()).toBe(
        `WooCommerce shows 13 in stock, Backroom's available is ${truth.available}.`,
      );
      const push = page.locator("backroom-panel").getByRole("button", { name: "Push ERP stock to the shop now" });
      await push.click();
      const outcome = page.locator('backroom-panel [data-field="pushOutcome"]');
      await expect
        .poll(() => outcome.textContent(), { timeout: 15_000 })
        .toBe(`Sent to the shop: ${truth.available} available across 2 locations. Reload the page to see it there.`);
      expect(await outcome.getAttribute("data-ok")).toBe("true");
      // The platform's API received each warehouse's available quantity at its location.
      for (const [code, location] of [
        ["BER", "gid://shopify/Location/1"],
        ["HAM", "gid://shopify/Location/2"],
      ] as const) {
        expect(shopify.levels.get(`gid://shopify/InventoryItem/501|${location}`)).toBe(truth.warehouses.find((w) => w.code === code)?.available);
      }
      expect(shopify.mutations).toHaveLength(1);
      // Someone edits Berlin's stock by hand in Shopify; pressed again with nothing changed at the edge, the
      // same quantities are sent again and applied (not answered from the idempotency key of the first push).
      shopify.levels.set("gid://shopify/InventoryItem/501|gid://shopify/Location/1", 13);
      await push.click();
      await expect.poll(() => shopify.mutations.length, { timeout: 15_000 }).toBe(2);
      expect(shopify.levels.get("gid://shopify/InventoryItem/501|gid://shopify/Location/1")).toBe(truth.warehouses.find((w) => w.code === "BER")?.available);
      expect(await axeViolations(page)).toEqual([]);
      await shot(page, "push-stock-now");
      const audit = await staff("/audit", AuditSummary);
      expect(audit.entries[0]).toMatchObject({ action: "stock.pushed", target: "sku/TEE-M" });

      // A SKU the platform does not have: the outcome says so, it does not claim success.
      shopify.items.delete("TEE-M");
      await fetch(`${edge.url}/v1/staff/${SHOP}/connectors/platform`, {
        method: "PUT",
        headers: { authorization: `Bearer ${secrets.staffKey}`, "content-type": "application/json" },
        body: JSON.stringify({
          settings: { kind: "shopify", shopDomain: api.url, accessToken: "shpat_revoked", apiVersion: "2026-10", locations: {} },
          enabled: true,
        }),
      });
      await page.reload();
      await expect.poll(() => panel(page).getAttribute("data-backroom"), { timeout: 15_000 }).toBe("product");
      await push.click();
      await expect.poll(() => outcome.getAttribute("data-ok"), { timeout: 15_000 }).toBe("false");
      expect(await outcome.textContent()).toMatch(/^Not pushed: /);
      await page.close();
    } finally {
      await fetch(`${edge.url}/v1/staff/${SHOP}/connectors/platform`, {
        method: "PUT",
        headers: { authorization: `Bearer ${secrets.staffKey}`, "content-type": "application/json" },
        body: JSON.stringify({
          settings: { kind: "shopify", shopDomain: api.url, accessToken: SHOPIFY_TOKEN, apiVersion: "2026-10", locations: {} },
          enabled: false,
        }),
      });
      await api.stop();
    }
  });

  it("list pages: a row whose platform stock differs is amber with both numbers; low stock says low", async () => {
    await erpPush("stock", { items: [{ sku: "MUG", warehouse: "BER", onHand: 3, version: Date.now() }] });
    const mug = await staff("/products/MUG", StaffProduct);
    const tee = await staff("/products/TEE-M", StaffProduct);
    expect(mug.status).toBe("low_stock");
    const page = await context.newPage();
    await page.goto(`${admin.url}/wp-admin/edit.php?post_type=product`);
    const badge = (post: string) => page.locator(`tr#post-${post} backroom-badge [data-backroom='badge']`);
    await expect.poll(() => badge("45").textContent(), { timeout: 15_000 }).toBe(`${tee.available} available · shop shows 13`);
    expect(await badge("45").getAttribute("data-tone")).toBe("mismatch");
    // "Out of stock" with no number: nothing to compare, the stock status speaks.
    expect(await badge("46").textContent()).toBe(`${mug.available} available · low`);
    expect(await badge("46").getAttribute("data-tone")).toBe("low_stock");
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, "woocommerce-products-mismatch");
    await page.close();
  });

  it("list pages: the shop's data-quality count and its first findings sit above the product list (issue 15)", async () => {
    // A finding the edge reports without a catalogue read: a price below the product's cost.
    const v = Date.now();
    await erpPush("products", { products: [{ sku: "CLEARANCE", name: "Clearance", cost: "30.00", currency: "EUR", version: v }] });
    await erpPush("prices", {
      lists: [{ id: "retail", name: "Retail", currency: "EUR" }],
      prices: [{ list: "retail", sku: "CLEARANCE", minQty: 1, unitPrice: "9.90", version: v }],
    });
    const truth = await staff("/quality?limit=20", QualityReport);
    expect(truth.counts.price_below_cost).toBeGreaterThan(0);
    const page = await context.newPage();
    await page.goto(`${admin.url}/wp-admin/edit.php?post_type=product`);
    const count = page.locator("backroom-quality [data-field='qualityCount']");
    await expect.poll(() => count.textContent(), { timeout: 15_000 }).toBe(`Data quality: ${truth.total} to fix`);
    await count.click();
    const items = page.locator("backroom-quality [data-field='qualityItems'] li");
    await expect.poll(() => items.count()).toBe(truth.items.length);
    expect(await page.locator("backroom-quality [data-field='qualityItems'] [data-kind='price_below_cost']").first().textContent()).toContain(
      QUALITY_LABELS.price_below_cost,
    );
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, "woocommerce-products-quality");
    await page.close();
  });

  it("edge down: the panel keeps the last answer with its age and a Retry, and recovers when the edge is back", async () => {
    const page = await context.newPage();
    await page.goto(`${SHOPIFY_ADMIN}/products/8001`);
    await expect.poll(() => panel(page).getAttribute("data-backroom"), { timeout: 15_000 }).toBe("product");
    const available = await cell(page, "total", "available").textContent();
    await proxy.stop();
    await page.reload();
    await expect
      .poll(() => page.locator('backroom-panel [data-field="stale"]').textContent(), { timeout: 15_000 })
      .toMatch(/^The edge is not answering: showing data from (just now|\d+ s ago)\.$/);
    expect(await cell(page, "total", "available").textContent()).toBe(available);
    expect(await page.locator('backroom-panel [data-field="stale"]').getAttribute("data-code")).toBe("unreachable");
    await shot(page, "edge-down");
    proxy = await startRecordingProxy(PROXY_PORT, edge.url);
    await page.locator("backroom-panel").getByRole("button", { name: "Retry" }).click();
    await expect.poll(() => page.locator('backroom-panel [data-field="updated"]').textContent(), { timeout: 15_000 }).toMatch(/^Updated /);
    expect(await page.locator('backroom-panel [data-field="stale"]').count()).toBe(0);
    await page.close();
  });

  it("options: Remove asks first", async () => {
    const page = await context.newPage();
    await page.goto(`chrome-extension://${extensionId}/options.html`);
    const last = page.locator("fieldset").nth(1);
    await last.getByRole("button", { name: "Remove" }).click();
    expect(await last.locator('[data-field="confirmRemove"]').textContent()).toContain("Remove Acme self-hosted and forget its staff key?");
    await last.getByRole("button", { name: "Cancel" }).click();
    expect(await page.locator("fieldset").count()).toBe(3);
    await page.close();
  });

  it("a wrong staff key shows a clear error in the panel, never data", async () => {
    const options = await context.newPage();
    await options.goto(`chrome-extension://${extensionId}/options.html`);
    const first = options.locator("fieldset").first();
    await first.locator('input[name="staffKey"]').fill("sk_revoked");
    await first.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => first.locator("[data-status]").textContent()).toBe("Saved");
    await options.close();

    const page = await context.newPage();
    await page.goto(`${SHOPIFY_ADMIN}/products/8001`);
    await expect.poll(() => panel(page).getAttribute("data-backroom"), { timeout: 15_000 }).toBe("error");
    expect(await panel(page).getAttribute("data-code")).toBe("unauthorized");
    expect(await panel(page).textContent()).toContain(`The edge rejected the staff key for shop "${SHOP}"`);
    expect(await page.locator('backroom-panel [data-field="onHand"]').count()).toBe(0);
    await shot(page, "wrong-key");
    await page.close();
  });

  it("ERP deep links: with an ERPNext connector, the SKU and its purchase orders open in ERPNext", async () => {
    // The ERP connector is the operator's to set (issue 10).
    const put = await fetch(`${edge.url}/v1/admin/shops/${SHOP}/connectors/erp`, {
      method: "PUT",
      headers: { authorization: `Bearer ${edge.adminToken}`, "content-type": "application/json" },
      body: JSON.stringify({ settings: { kind: "erpnext", url: "https://erp.example", apiKey: "k_e2e", apiSecret: "s_e2e" }, enabled: true }),
    });
    expect(put.status).toBe(200);
    const page = await context.newPage();
    await page.goto(`${admin.url}/wp-admin/post.php?post=45&action=edit`);
    await expect.poll(() => panel(page).getAttribute("data-backroom"), { timeout: 15_000 }).toBe("product");
    await expect
      .poll(() => page.locator('backroom-panel a[data-field="sku"]').getAttribute("href"), { timeout: 15_000 })
      .toBe("https://erp.example/app/item/TEE-M");
    expect(await page.locator('backroom-panel [data-field="incoming"] a').getAttribute("href")).toBe("https://erp.example/app/purchase-order/PO-4711");
    await page.close();
  });
  it("ERP deep links: with an Odoo connector, the SKU, its receipts and the ERP order open as Odoo forms by the ids the ERP sent", async () => {
    const put = await fetch(`${edge.url}/v1/admin/shops/${SHOP}/connectors/erp`, {
      method: "PUT",
      headers: { authorization: `Bearer ${edge.adminToken}`, "content-type": "application/json" },
      body: JSON.stringify({
        settings: { kind: "odoo", url: "https://odoo.example", db: "acme", protocol: "jsonrpc", login: "edge", apiKey: "k_e2e" },
        enabled: true,
      }),
    });
    expect(put.status).toBe(200);
    // What the Odoo connector sends: product.product, stock.picking and sale.order ids as erpId.
    const v = Date.now();
    await erpPush("products", {
      products: [{ sku: "TEE-M", name: "Tee M", cost: "4.20", landedCost: "5.10", currency: "EUR", gtin: "4006381333931", erpId: "7", version: v }],
    });
    const before = await staff("/products/TEE-M", StaffProduct);
    const ber = before.warehouses.find((w) => w.code === "BER");
    await erpPush("stock", {
      items: [
        {
          sku: "TEE-M",
          warehouse: "BER",
          onHand: ber?.onHand ?? 0,
          committed: ber?.committed ?? 0,
          incoming: [{ qty: 20, eta: "2099-03-14", ref: "WH/IN/00019", erpId: "19" }],
          version: v,
        },
      ],
    });
    await erpPush("orders", {
      orders: [{ orderRef: "100000001", orderNumber: "000000001", erpRef: "S00091", erpId: "91", status: "confirmed", at: "2026-11-22T10:00:00Z", version: v }],
    });
    const page = await context.newPage();
    await page.goto(`${admin.url}/wp-admin/post.php?post=45&action=edit`);
    await expect.poll(() => panel(page).getAttribute("data-backroom"), { timeout: 15_000 }).toBe("product");
    await expect
      .poll(() => page.locator('backroom-panel a[data-field="sku"]').getAttribute("href"), { timeout: 15_000 })
      .toBe("https://odoo.example/web#model=product.product&id=7&view_type=form");
    expect(await page.locator('backroom-panel [data-field="incoming"] a').getAttribute("href")).toBe(
      "https://odoo.example/web#model=stock.picking&id=19&view_type=form",
    );
    await page.goto(`${admin.url}/admin/sales/order/view/order_id/1/`);
    await expect.poll(() => panel(page).getAttribute("data-backroom"), { timeout: 15_000 }).toBe("order");
    const erpRef = page.locator('backroom-panel a[data-field="erpRef"]');
    await expect.poll(() => erpRef.getAttribute("href"), { timeout: 15_000 }).toBe("https://odoo.example/web#model=sale.order&id=91&view_type=form");
    expect(await erpRef.textContent()).toBe("S00091");
    await page.close();
  });
});
