import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import * as demo from "./demo-data.mjs";
import * as history from "./demo-history.mjs";
import { promiseProducts, promiseStock } from "./demo-promise.mjs";
import { EdgeClient } from "./lib/edge-client.mjs";
import { customerToken } from "./lib/standard-webhooks.mjs";

export const DEMO_SHOP = "demo";
export const DEMO_B2B_SHOP = demo.b2bChannel.shop.id;

/**
 * Creates the demo shop (or reuses it) and seeds it through the signed ERP API, exactly as a real
 * ERP would push. Secrets are kept in `credsFile` (git-ignored) because the edge shows them once;
 * when the shop exists but the file is gone, its secrets are rotated. `onShop(creds)` runs (awaited)
 * once the shop and its secrets are known, before anything is pushed.
 *
 * @param {string} edgeUrl
 * @param {string} adminToken
 * @param {{ credsFile?: string, origins?: string[], onShop?: (creds: Record<string, string>) => unknown }} [options]
 * @returns the demo credentials `{ edgeUrl, shop, erpSecret, staffKey, customerSecret, platformWebhookSecret }`
 */
export async function seedDemo(edgeUrl, adminToken, { credsFile, origins = [], onShop } = {}) {
  const edge = new EdgeClient(edgeUrl, { adminToken });
  const saved = credsFile && existsSync(credsFile) ? JSON.parse(readFileSync(credsFile, "utf8")) : undefined;
  const created = await edge.createShop({
    id: DEMO_SHOP,
    name: "Backroom Demo Outfitters",
    platform: "custom",
    origins: [...new Set([edgeUrl.replace(/\/$/, ""), ...origins])],
    currency: "EUR",
    locale: "de-DE",
    lowStockThreshold: 5,
  });
  let secrets;
  if (created.status === 201) secrets = created.body;
  else if (created.status === 409 && saved?.erpSecret) secrets = saved;
  else if (created.status === 409) {
    const rotated = await edge.rotateSecrets(DEMO_SHOP);
    if (rotated.status !== 200) throw new Error(`rotating demo secrets: HTTP ${rotated.status} ${JSON.stringify(rotated.body)}`);
    secrets = rotated.body;
  } else throw new Error(`creating the demo shop: HTTP ${created.status} ${JSON.stringify(created.body)}`);

  const creds = {
    edgeUrl,
    shop: DEMO_SHOP,
    erpSecret: secrets.erpSecret,
    staffKey: secrets.staffKey,
    customerSecret: secrets.customerSecret,
    platformWebhookSecret: secrets.platformWebhookSecret,
  };
  if (credsFile) {
    mkdirSync(dirname(credsFile), { recursive: true });
    writeFileSync(credsFile, `${JSON.stringify(creds, null, 2)}\n`, { mode: 0o600 });
  }

  await onShop?.(creds);
  const s = creds.erpSecret;
  const results = {};
  results.warehouses = await edge.push(DEMO_SHOP, s, "warehouses", { warehouses: demo.warehouses });
  results.products = await edge.push(DEMO_SHOP, s, "products", { products: demo.products() });
  results.stock = await edge.push(DEMO_SHOP, s, "stock", { items: demo.stock() });
  // Issue 12: a kit and a case pack (worker/cli/demo-promise.mjs).
  results.promiseProducts = await edge.push(DEMO_SHOP, s, "products", { products: promiseProducts() });
  results.promiseStock = await edge.push(DEMO_SHOP, s, "stock", { items: promiseStock() });
  results.prices = await edge.push(DEMO_SHOP, s, "prices", { lists: demo.priceLists, prices: demo.prices() });
  results.customers = await edge.push(DEMO_SHOP, s, "customers", { customers: demo.customers });
  results.orders = await edge.push(DEMO_SHOP, s, "orders", { orders: demo.orders() });
  // Issue 15: sales history for the forecast, and a duplicate customer for the quality report.
  const sales = history.sales();
  for (let i = 0; i < sales.length; i += 10_000) results.sales = await edge.push(DEMO_SHOP, s, "sales", { sales: sales.slice(i, i + 10_000) });
  results.duplicateCustomers = await edge.push(DEMO_SHOP, s, "customers", { customers: history.duplicateCustomers });
  return { creds, results };
}

/**
 * The demo's second channel (`demo-b2b`, WooCommerce-shaped B2B) in the stock pool of `demo`: it is
 * created with no replica of its own, joins the pool with its rules, and gets its own prices and
 * customers pushed with the pool's ERP secret. Its secrets are kept in `credsFile` like the root's.
 */
export async function seedB2bChannel(edgeUrl, adminToken, poolErpSecret, { credsFile, origins = [] } = {}) {
  const edge = new EdgeClient(edgeUrl, { adminToken });
  const { shop, rules } = demo.b2bChannel;
  const saved = credsFile && existsSync(credsFile) ? JSON.parse(readFileSync(credsFile, "utf8")) : undefined;
  const created = await edge.createShop({ ...shop, origins: [...new Set([edgeUrl.replace(/\/$/, ""), ...origins])] });
  let secrets;
  if (created.status === 201) secrets = created.body;
  else if (created.status === 409 && saved?.staffKey) secrets = saved;
  else if (created.status === 409) {
    const rotated = await edge.rotateSecrets(shop.id);
    if (rotated.status !== 200) throw new Error(`rotating ${shop.id} secrets: HTTP ${rotated.status} ${JSON.stringify(rotated.body)}`);
    secrets = rotated.body;
  } else throw new Error(`creating ${shop.id}: HTTP ${created.status} ${JSON.stringify(created.body)}`);
  const creds = { edgeUrl, shop: shop.id, pool: DEMO_SHOP, staffKey: secrets.staffKey, customerSecret: secrets.customerSecret };
  if (credsFile) writeFileSync(credsFile, `${JSON.stringify(creds, null, 2)}\n`, { mode: 0o600 });
  const joined = await edge.joinPool(DEMO_SHOP, shop.id, { rules });
  if (joined.status !== 200) throw new Error(`${shop.id} joining the pool ${DEMO_SHOP}: HTTP ${joined.status} ${JSON.stringify(joined.body)}`);
  const results = {};
  results.prices = await edge.push(shop.id, poolErpSecret, "prices", { lists: demo.priceLists, prices: demo.prices() });
  results.customers = await edge.push(shop.id, poolErpSecret, "customers", { customers: demo.customers });
  return { creds, results };
}

/** Signed customer tokens for the demo's B2B buyers, valid for 30 days: what a storefront would render. */
export function demoTokens(customerSecret, now = Date.now()) {
  const expires = Math.floor(now / 1000) + 30 * 86_400;
  return Object.fromEntries(demo.customers.map((c) => [c.id, customerToken(customerSecret, c.id, expires)]));
}
