/**
 * Widget benchmark, in Debian's Chromium against a real `wrangler dev` edge (static assets, D1,
 * the pool Durable Object holding the data and the WebSockets all in the path):
 *  - ERP push → widget DOM updated: a signed stock push is sent, the open demo page's shadow DOM
 *    is watched for the new number; p50/p95 over PUSHES sequential pushes (goal p95 ≤ 100 ms).
 *  - script load → rendered availability: from widget.js's response end to the first status badge
 *    in the shadow root, and from navigation start, over LOADS page loads.
 *  - widget.js gzip size, and its lazily loaded chunks (price, tracking, notify-me; the B2B account).
 *
 *   node test/bench/widget.mjs        (or as part of `npm run bench`)
 */
import { buildWidget } from "../../widget/build.mjs";
import { startEdge } from "../e2e/edge.ts";
import { launchChromium } from "../e2e/widget-browser.ts";
import { pushStock, seedWidgetShop } from "../e2e/widget-data.ts";
import { percentile, round } from "./lib/stats.mjs";

const PORT = Number(process.env.BENCH_WIDGET_PORT ?? 8823);
/** The measured run, and the quick one CI runs only to prove the module still works (no timing judged). */
const SIZES = { full: { pushes: 60, loads: 15 }, quick: { pushes: 2, loads: 1 } };

/** Installed before any page script: records when a status badge first appears in any shadow root. */
function watchShadows() {
  const attach = Element.prototype.attachShadow;
  window.__bench = { rendered: undefined, changes: [] };
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, init);
    new MutationObserver(() => {
      const now = performance.timeOrigin + performance.now();
      if (window.__bench.rendered === undefined && root.querySelector("[data-status]")) window.__bench.rendered = performance.now();
      for (const li of root.querySelectorAll('li[data-warehouse="HAM"]')) window.__bench.changes.push({ at: now, text: li.textContent });
    }).observe(root, { subtree: true, childList: true, characterData: true });
    return root;
  };
}

export async function run({ quick = false } = {}) {
  const { pushes: PUSHES, loads: LOADS } = quick ? SIZES.quick : SIZES.full;
  const { gzip, more, account, promise } = await buildWidget({ quiet: true });
  const edge = await startEdge({ port: PORT });
  const browser = await launchChromium();
  try {
    const secrets = await seedWidgetShop(edge.url, edge.adminToken);
    const context = await browser.newContext();
    await context.addInitScript(watchShadows);

    const fromScript = [];
    const fromNavigation = [];
    for (let i = 0; i < LOADS; i++) {
      const page = await context.newPage();
      await page.goto(`${edge.url}/demo/plain.html`);
      await page.waitForFunction(() => window.__bench.rendered !== undefined, null, { timeout: 10_000 });
      const t = await page.evaluate(() => {
        const script = performance.getEntriesByType("resource").find((e) => e.name.endsWith("/widget.js"));
        return { rendered: window.__bench.rendered, scriptEnd: script?.responseEnd ?? Number.NaN };
      });
      fromScript.push(t.rendered - t.scriptEnd);
      fromNavigation.push(t.rendered);
      await page.close();
    }

    const page = await context.newPage();
    await page.goto(`${edge.url}/demo/plain.html`);
    const box = page.locator('[data-backroom-sku="HOODIE-L"] .b');
    await box.locator("[data-status]").waitFor();
    await box.locator("button[aria-expanded]").click();
    await box.locator('li[data-warehouse="HAM"]').waitFor();
    // Let the socket open before the first push.
    await page.waitForTimeout(500);
    const latencies = [];
    const acks = [];
    for (let i = 1; i <= PUSHES; i++) {
      const onHand = 100 + i;
      const expected = new Intl.NumberFormat("de-DE").format(onHand);
      const sent = performance.timeOrigin + performance.now();
      await pushStock(edge.url, secrets.erpSecret, "HOODIE-L", "HAM", onHand);
      acks.push(performance.timeOrigin + performance.now() - sent);
      const at = await page.waitForFunction((want) => window.__bench.changes.find((c) => c.text === `Hamburg: ${want}`)?.at, expected, {
        timeout: 5_000,
        polling: 5,
      });
      latencies.push((await at.jsonValue()) - sent);
    }
    return [
      { name: "widget: ERP push → DOM updated p50", value: round(percentile(latencies, 50)), unit: "ms" },
      { name: `widget: ERP push → DOM updated p95 (${PUSHES} pushes)`, value: round(percentile(latencies, 95)), unit: "ms", goal: "<= 100" },
      { name: "widget: ERP push acknowledged (HTTP 200) p50, for comparison", value: round(percentile(acks, 50)), unit: "ms" },
      { name: "widget: script loaded → availability rendered p50", value: round(percentile(fromScript, 50)), unit: "ms" },
      { name: `widget: script loaded → availability rendered p95 (${LOADS} loads)`, value: round(percentile(fromScript, 95)), unit: "ms" },
      { name: "widget: navigation → availability rendered p50", value: round(percentile(fromNavigation, 50)), unit: "ms" },
      { name: "widget: widget.js gzip", value: gzip, unit: "B", goal: "<= 12288" },
      { name: "widget: lazy chunk (price, tracking, notify-me, promise trigger) gzip", value: more.gzip, unit: "B" },
      { name: "widget: promise chunk (quantity promise, cart view; loaded by the lazy chunk) gzip", value: promise.gzip, unit: "B" },
      { name: "widget: lazy account chunk (balance, orders, invoices, returns, reorder) gzip", value: account.gzip, unit: "B" },
    ];
  } finally {
    await browser.close();
    await edge.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await run()) console.log(`${row.name}: ${row.value} ${row.unit}${row.goal ? ` (goal ${row.goal})` : ""}`);
}
