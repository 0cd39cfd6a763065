import { env, exports } from "cloudflare:workers";
import type { ShopSecrets } from "../../worker/contract";
import { signCustomerToken } from "../../worker/domain/customer-token";
import { signStandardWebhook } from "../../worker/domain/standard-webhooks";
import { PlaneDatabase } from "../../worker/pool/database";
import { allPools, onShop, withPool } from "../../worker/pool/plane";
import { REGISTRY_TABLES } from "../../worker/pool/tables";

export const ADMIN = { authorization: "Bearer test-admin-token" };
export const ORIGIN = "https://shop.example";

/** Calls the worker's own fetch handler, as a request from outside would. */
export const call = (path: string, init?: RequestInit): Promise<Response> => exports.default.fetch(new Request(`http://edge.test${path}`, init));

export async function createShop(id: string, extra: Record<string, unknown> = {}): Promise<ShopSecrets> {
  const res = await call("/v1/admin/shops", {
    method: "POST",
    headers: { ...ADMIN, "content-type": "application/json" },
    body: JSON.stringify({ id, name: `Shop ${id}`, platform: "custom", origins: [ORIGIN], currency: "EUR", locale: "de-DE", ...extra }),
  });
  if (res.status !== 201) throw new Error(`createShop ${id}: ${res.status} ${await res.text()}`);
  return res.json();
}

let pushCounter = 0;

/** Sends a body to an ERP route signed as the ERP would, with a fresh webhook-id unless one is given. */
export async function push(
  shop: string,
  secret: string,
  resource: string,
  body: unknown,
  opts: { id?: string; timestamp?: number; rawBody?: string } = {},
): Promise<Response> {
  const raw = opts.rawBody ?? JSON.stringify(body);
  const id = opts.id ?? `msg_${Date.now()}_${++pushCounter}`;
  const headers = await signStandardWebhook(secret, id, opts.timestamp ?? Math.floor(Date.now() / 1000), raw);
  return call(`/v1/erp/${shop}/${resource}`, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: raw });
}

/** Pushes and insists on a 200, answering the ingest result. */
export async function pushOk(shop: string, secret: string, resource: string, body: unknown): Promise<{ applied: number; stale: number; rejected: unknown[] }> {
  const res = await push(shop, secret, resource, body);
  if (res.status !== 200) throw new Error(`push ${resource}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** A small catalogue: two warehouses, three products, stock. */
export async function seedBasics(shop: string, secret: string): Promise<void> {
  await pushOk(shop, secret, "warehouses", {
    warehouses: [
      { code: "BER", name: "Berlin", country: "DE" },
      { code: "HAM", name: "Hamburg", country: "DE" },
    ],
  });
  await pushOk(shop, secret, "products", {
    products: [
      { sku: "TEE-M", name: "Tee M", cost: "4.20", currency: "EUR", aliases: ["tee-m-old"], gtin: "4006381333931", version: 1 },
      { sku: "MUG", name: "Mug", backorder: true, version: 1 },
      { sku: "CAP", name: "Cap", safetyStock: 2, version: 1 },
    ],
  });
  await pushOk(shop, secret, "stock", {
    items: [
      { sku: "TEE-M", warehouse: "BER", onHand: 10, committed: 2, incoming: [{ qty: 20, eta: "2099-03-14", ref: "PO-1" }], version: 1 },
      { sku: "TEE-M", warehouse: "HAM", onHand: 5, version: 1 },
      { sku: "MUG", warehouse: "BER", onHand: 0, version: 1 },
      { sku: "CAP", warehouse: "HAM", onHand: 5, version: 1 },
    ],
  });
}

/** The app's own tables (D1's and SQLite's bookkeeping left out). */
export async function tableNames(): Promise<string[]> {
  const { results } = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations' ORDER BY name",
  ).all<{ name: string }>();
  return results.map((r) => r.name);
}

/**
 * Every table's row count and a digest of its sorted rows: two equal snapshots mean no row was
 * added, removed or changed in between.
 */
export async function snapshotTables(): Promise<Record<string, { rows: number; digest: string }>> {
  const out: Record<string, { rows: number; digest: string }> = {};
  const names = await tableNames();
  // The registry, and every pool's object (where each pool's data lives, issue 17).
  for (const [label, db] of [["registry", env.DB] as const, ...(await allPools(env)).pools.map((p) => [p, poolDb(p)] as const)])
    for (const name of names) {
      if (label !== "registry" && REGISTRY_TABLES.has(name)) continue;
      const { results } = await db.prepare(`SELECT * FROM "${name}"`).all();
      const lines = results.map((r) => JSON.stringify(r)).sort();
      const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(lines.join("\n"))));
      out[`${label}/${name}`] = { rows: lines.length, digest: Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("") };
    }
  return out;
}

/** A storefront's signed customer token for `customerId`, valid for `ttlSeconds` (negative: already expired). */
export const customerToken = (secret: string, customerId: string, ttlSeconds = 3600): Promise<string> =>
  signCustomerToken(secret, customerId, Math.floor(Date.now() / 1000) + ttlSeconds);

/** The operator points a shop's ERP pull at an ERP (`PUT /v1/admin/shops/:shop/connectors/erp`); staff keys may not. */
export const putErpConnector = (shop: string, settings: unknown, fetcher: (path: string, init?: RequestInit) => Promise<Response> = call): Promise<Response> =>
  fetcher(`/v1/admin/shops/${shop}/connectors/erp`, {
    method: "PUT",
    headers: { ...ADMIN, "content-type": "application/json" },
    body: JSON.stringify({ settings }),
  });

/**
 * The database a pool's data is read and written in, as the worker sees it (issue 17): registry
 * tables in D1, the rest in the pool's object. A shop on its own is the pool of its id; a channel's
 * data is its pool's (`shopDb`).
 */
export const poolDb = (pool: string): D1Database => withPool(env, pool).DB;
export const shopDb = async (shop: string): Promise<D1Database> => onShop(env, shop).DB;

/**
 * `shop`'s plane as a request gets it (its pool looked up in `registry`, or remembered), with every call
 * its statements make into the pool's object reported to `onCall`.
 */
export function countingPoolCalls(shop: string, onCall: () => void, registry: D1Database = env.DB): D1Database {
  const plane = onShop({ ...env, DB: registry }, shop).DB;
  if (!(plane instanceof PlaneDatabase)) throw new Error("expected the pool data plane");
  const db = new PlaneDatabase({
    ...plane.route,
    resolve: async (fresh) => {
      const side = await plane.route.resolve(fresh);
      if (side.id === undefined) throw new Error("expected the pool's data in its object");
      const object = side.object;
      return {
        ...side,
        object: {
          run: (statements) => {
            onCall();
            return object.run(statements);
          },
          script: (text) => object.script(text),
          mirror: (m) => object.mirror(m),
        },
      };
    },
  });
  return db as unknown as D1Database;
}
