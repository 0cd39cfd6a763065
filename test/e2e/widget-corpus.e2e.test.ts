import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join, resolve } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildWidget } from "../../widget/build.mjs";
import { type Edge, startEdge } from "./edge";
import { e2ePort } from "./ports";
import { launchChromium } from "./widget-browser";
import { erpPush, nextVersion, SHOP } from "./widget-data";

/**
 * The real-page corpus (test/fixtures/pages, see PROVENANCE.md): every saved product page is served
 * from a page origin of their own with the one script tag added, against a local edge that holds the pages'
 * SKUs, GTINs and aliases. For each page: what the widget detects, which SKU the box shows, where
 * the box sits, that the box's space was reserved before the answer (no layout shift after it
 * appeared), and no page error. Pages with `steps` then change variant or navigate the way their
 * platform's own scripts do, and the box must follow.
 */

const PAGES = resolve(import.meta.dirname, "../fixtures/pages");
// The "shop": a loopback server that answers every path with the page under test (Chromium's Private
// Network Access rules let a loopback page talk to the loopback edge, as a real shop talks to its edge).
const SHOP_PORT = e2ePort(8827);
const ORIGIN = `http://127.0.0.1:${SHOP_PORT}`;
let served = "";
let shopServer: Server;

interface Expectation {
  variants?: string[];
  alt?: string[];
  selected: string;
  /** The key the box shows (data-sku): the asked identifier the edge knew. */
  shown: string;
  /** The box is the next sibling of this element… */
  after?: string;
  /** …or sits inside this placeholder. */
  inside?: string;
  url?: string;
  hosts?: number;
}
interface CorpusPage {
  file: string;
  platform: string;
  expect: Expectation;
  seed: Array<{ sku: string; gtin?: string; aliases?: string[]; onHand: number; incoming?: Array<{ qty: number; days: number }> }>;
  steps?: Array<{ does: string; run: string; expect: Expectation }>;
}
const corpus: { pages: CorpusPage[] } = JSON.parse(readFileSync(join(PAGES, "corpus.json"), "utf8"));

declare global {
  interface Window {
    __corpus: { hostAt: number | undefined; shifts: Array<{ at: number; value: number }> };
    /** widget.js's `window.Backroom` (widget/src/main.ts). */
    Backroom: { unmount(): void; detect(): { variants: Array<{ sku: string; alt?: string[] }>; selected: string | undefined } | undefined };
  }
}

let edge: Edge;
let browser: Browser;
const results = new Map<string, boolean>();

const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  await buildWidget({ quiet: true });
  edge = await startEdge({ port: e2ePort(8826) });
  const res = await fetch(`${edge.url}/v1/admin/shops`, {
    method: "POST",
    headers: { authorization: `Bearer ${edge.adminToken}`, "content-type": "application/json" },
    body: JSON.stringify({ id: SHOP, name: "Corpus", platform: "custom", origins: [ORIGIN], currency: "EUR", locale: "en-GB", lowStockThreshold: 5 }),
  });
  if (res.status !== 201) throw new Error(`create shop: ${res.status} ${await res.text()}`);
  const { erpSecret } = await res.json();
  const seeds = corpus.pages.flatMap((p) => p.seed);
  const v = nextVersion();
  await erpPush(edge.url, erpSecret, "warehouses", { warehouses: [{ code: "MAIN", name: "Main warehouse", country: "DE" }] });
  await erpPush(edge.url, erpSecret, "products", {
    products: seeds.map((s) => ({ sku: s.sku, name: s.sku, ...(s.gtin ? { gtin: s.gtin } : {}), ...(s.aliases ? { aliases: s.aliases } : {}), version: v })),
  });
  await erpPush(edge.url, erpSecret, "stock", {
    items: seeds.map((s) => ({
      sku: s.sku,
      warehouse: "MAIN",
      onHand: s.onHand,
      ...(s.incoming ? { incoming: s.incoming.map((i) => ({ qty: i.qty, eta: day(i.days) })) } : {}),
      version: v,
    })),
  });
  shopServer = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(served));
  await new Promise<void>((ok) => shopServer.listen(SHOP_PORT, "127.0.0.1", ok));
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  const hits = [...results.values()].filter(Boolean).length;
  // The README quotes this line.
  console.log(`widget corpus: ${hits}/${corpus.pages.length} pages detected and rendered where expected`);
  await browser?.close();
  shopServer?.close();
  await edge?.stop();
});

/** Records when the first widget host has been painted and every layout shift (with its time), from the first paint on. */
function watch(): void {
  window.__corpus = { hostAt: undefined, shifts: [] };
  let seen = false;
  new MutationObserver(() => {
    if (seen || !document.querySelector("[data-backroom-host]")) return;
    seen = true;
    // The frame that inserts the (empty, height-reserved) box may shift the page once; from the next frame on nothing may move.
    requestAnimationFrame(() => requestAnimationFrame(() => (window.__corpus.hostAt = performance.now())));
  }).observe(document, { childList: true, subtree: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__corpus.shifts.push({ at: e.startTime, value: Number(Reflect.get(e, "value")) });
  }).observe({ type: "layout-shift", buffered: true });
}

async function open(entry: CorpusPage): Promise<{ page: Page; errors: string[] }> {
  const html = readFileSync(join(PAGES, entry.file), "utf8");
  const tag = `<script src="${edge.url}/widget.js" data-shop="${SHOP}" async></script>`;
  const body = html.includes("</body>") ? html.replace(/<\/body>(?![\s\S]*<\/body>)/, `${tag}</body>`) : html + tag;
  served = body;
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  if (process.env.CORPUS_DEBUG) page.on("console", (m) => console.log(entry.file, m.text()));
  await page.addInitScript(watch);
  await page.route("**/*", async (route) => {
    const url = route.request().url();
    if (url.startsWith(`${edge.url}/v1/`)) {
      // The answer comes well after the box appeared: its space must already be there.
      await new Promise((r) => setTimeout(r, 250));
      return route.continue();
    }
    if (url.startsWith(edge.url)) return route.continue();
    if (url.startsWith(ORIGIN) && route.request().resourceType() === "document") return route.continue();
    // The saved pages' own images, fonts and stylesheets: nothing leaves this machine.
    return route.abort();
  });
  await page.goto(`${ORIGIN}${entry.expect.url ?? `/products/${entry.file.replace(/\.html$/, "")}`}`);
  return { page, errors };
}

/** Where the availability box is and what it shows, once it shows something. */
async function box(page: Page, expected: Expectation) {
  const shown = page.locator(`[data-backroom-host] .b[data-sku="${expected.shown}"] [data-status]`);
  await shown.first().waitFor({ timeout: 10_000 });
  return page.evaluate(
    ({ after, inside }) => {
      const hosts = [...document.querySelectorAll("[data-backroom-host]")];
      const host = hosts.find((h) => h.shadowRoot?.querySelector(".b[data-sku] [data-status]"));
      const prev = host?.previousElementSibling;
      return {
        hosts: hosts.length,
        placed: inside ? host?.parentElement?.matches(inside) === true : prev?.matches(after ?? "") === true,
        previous: prev ? `${prev.tagName.toLowerCase()}${prev.id ? `#${prev.id}` : ""}.${[...prev.classList].join(".")}` : String(host?.parentElement?.tagName),
        inForm: host?.closest("form") !== null,
        arrival: host?.shadowRoot?.querySelector("[data-arrival]")?.textContent ?? null,
        status: host?.shadowRoot?.querySelector("[data-status]")?.getAttribute("data-status") ?? null,
        detected: window.Backroom.detect(),
      };
    },
    { after: expected.after, inside: expected.inside },
  );
}

describe("the widget on the real-page corpus (Chromium)", () => {
  it.each(corpus.pages.map((p) => [p.file, p] as const))("%s", async (_file, entry) => {
    const { page, errors } = await open(entry);
    try {
      const first = await box(page, entry.expect);
      expect(first.detected?.selected).toBe(entry.expect.selected);
      if (entry.expect.variants) expect(first.detected?.variants.map((v) => v.sku)).toEqual(entry.expect.variants);
      if (entry.expect.alt) expect(first.detected?.variants[0]?.alt).toEqual(entry.expect.alt);
      expect(first.placed, `box after ${first.previous}`).toBe(true);
      expect(first.inForm).toBe(false);
      expect(first.hosts).toBe(1);
      // Sold out with stock on its way: the dated arrival; sold out with none: no arrival line.
      const seeded = entry.seed.find((x) => x.sku === entry.expect.shown);
      if (seeded?.onHand === 0) expect(first.status).toBe("out_of_stock");
      if (seeded) expect(first.arrival !== null).toBe(seeded.incoming !== undefined);
      // Space reserved before the answer: nothing moved once the box was there.
      const moved = await page.evaluate(() =>
        window.__corpus.shifts.filter((s) => s.at >= (window.__corpus.hostAt ?? Infinity)).reduce((a, s) => a + s.value, 0),
      );
      expect(moved).toBe(0);

      for (const step of entry.steps ?? []) {
        await page.evaluate(step.run);
        await expect.poll(() => page.evaluate(() => window.Backroom.detect()?.selected), { timeout: 5_000 }).toBe(step.expect.selected);
        const after = await box(page, { ...entry.expect, ...step.expect });
        expect(after.placed, `${step.does}: box after ${after.previous}`).toBe(true);
        expect(after.hosts).toBe(step.expect.hosts ?? 1);
      }
      expect(errors).toEqual([]);
      results.set(entry.file, true);
    } finally {
      results.set(entry.file, results.get(entry.file) ?? false);
      await page.close();
    }
  });
});
