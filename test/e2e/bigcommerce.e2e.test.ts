import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedHeaders } from "../../worker/cli/lib/standard-webhooks.mjs";
import { StaffProduct } from "../../worker/contract";
import { BC_STORE, BC_TOKEN, FakeBigCommerce, sampleOrder } from "../fakes/bigcommerce/app";
import { bigCommerceHookBody, registeredHeaders } from "../fakes/bigcommerce/hooks";
import { type Edge, startEdge } from "./edge";
import { e2ePort } from "./ports";

/**
 * A BigCommerce order end to end on a real `wrangler dev` (its own queue consumer, its own fetch):
 * the webhook names the order, the edge reads it from the BigCommerce fake over HTTP, reserves it,
 * delivers it to the ERP, ships the ERP's tracking back, and pushes the stock left.
 */

const SHOP = "bce2e";
const SKU = "TEE-BC";
const HOOK_SECRET = "bigcommerce-e2e-secret";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let edge: Edge;
const bc = new FakeBigCommerce();
const erpOrders: Array<{ type: string; order: { orderRef: string; lines: Array<{ sku?: string; qty: number }> } }> = [];
const servers: Server[] = [];
let secrets: { erpSecret: string; staffKey: string };

/** Serves a fetch handler (the fakes) over node:http on 127.0.0.1. */
function serve(port: number, handle: (request: Request) => Response | Promise<Response>): Promise<void> {
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
    const answer = await handle(new Request(`http://127.0.0.1:${port}${req.url}`, { method: req.method, headers, body }));
    res.writeHead(answer.status, Object.fromEntries(answer.headers));
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  servers.push(server);
  return new Promise((ok) => server.listen(port, "127.0.0.1", () => ok()));
}

async function until<T>(check: () => Promise<T | undefined>, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${edge.log().slice(-2000)}`);
    await sleep(200);
  }
}

const json = (body: unknown) => JSON.stringify(body);
async function erpPush(resource: string, body: unknown): Promise<void> {
  const raw = json(body);
  const res = await fetch(`${edge.url}/v1/erp/${SHOP}/${resource}`, {
    method: "POST",
    headers: { ...signedHeaders(secrets.erpSecret, raw), "content-type": "application/json" },
    body: raw,
  });
  expect(res.status, await res.clone().text()).toBe(200);
}

const reserved = async (): Promise<number | undefined> => {
  const res = await fetch(`${edge.url}/v1/staff/${SHOP}/products/${SKU}`, { headers: { authorization: `Bearer ${secrets.staffKey}` } });
  if (res.status !== 200) return undefined;
  return StaffProduct.parse(await res.json()).warehouses.reduce((n, w) => n + w.reserved, 0);
};

beforeAll(async () => {
  const bcPort = e2ePort(8876);
  const erpPort = e2ePort(8877);
  await serve(bcPort, bc.fetch);
  await serve(erpPort, async (request) => {
    erpOrders.push(await request.json());
    return Response.json({ erpRef: `SO-${erpOrders.length}` });
  });
  edge = await startEdge({ port: e2ePort(8878) });
  const admin = { authorization: `Bearer ${edge.adminToken}`, "content-type": "application/json" };
  const created = await fetch(`${edge.url}/v1/admin/shops`, {
    method: "POST",
    headers: admin,
    body: json({
      id: SHOP,
      name: "BigCommerce e2e",
      platform: "bigcommerce",
      origins: ["https://bc.example"],
      currency: "USD",
      locale: "en-US",
      platformWebhookSecret: HOOK_SECRET,
    }),
  });
  expect(created.status).toBe(201);
  secrets = await created.json();
  const settings = await fetch(`${edge.url}/v1/admin/shops/${SHOP}/orders-settings`, {
    method: "PUT",
    headers: admin,
    body: json({ erpEndpointUrl: `http://127.0.0.1:${erpPort}/orders` }),
  });
  expect(settings.status).toBe(200);
  const connector = await fetch(`${edge.url}/v1/staff/${SHOP}/connectors/platform`, {
    method: "PUT",
    headers: { authorization: `Bearer ${secrets.staffKey}`, "content-type": "application/json" },
    body: json({ settings: { kind: "bigcommerce", storeHash: BC_STORE, accessToken: BC_TOKEN, apiUrl: `http://127.0.0.1:${bcPort}` }, enabled: true }),
  });
  expect(connector.status, await connector.clone().text()).toBe(200);
  await erpPush("warehouses", { warehouses: [{ code: "BER", name: "Berlin" }] });
  await erpPush("products", { products: [{ sku: SKU, name: "Tee", version: 1 }] });
  await erpPush("stock", { items: [{ sku: SKU, warehouse: "BER", onHand: 10, version: 1 }] });
}, 120_000);

afterAll(async () => {
  await edge?.stop();
  for (const s of servers) s.close();
});

describe("a BigCommerce order through wrangler dev and the BigCommerce fake", () => {
  it("is read from the Orders API, reserved, delivered to the ERP, shipped back, and the stock left is pushed", { timeout: 120_000 }, async () => {
    bc.orders.set(300, sampleOrder(300, [[SKU, 3]]));
    bc.variants.set(SKU, 901);
    const body = bigCommerceHookBody("store/order/created", 300);
    const hook = await fetch(`${edge.url}/v1/hooks/bigcommerce/${SHOP}`, { method: "POST", headers: registeredHeaders(HOOK_SECRET), body });
    expect(hook.status).toBe(200);

    expect(await until(async () => ((await reserved()) === 3 ? 3 : undefined), 30_000, "3 reserved")).toBe(3);
    const delivered = await until(async () => erpOrders.find((e) => e.order.orderRef === "300"), 30_000, "the ERP got order 300");
    expect(delivered).toMatchObject({ type: "order.created", order: { orderRef: "300", lines: [expect.objectContaining({ sku: SKU, qty: 3 })] } });

    await erpPush("orders", {
      orders: [
        {
          orderRef: "300",
          status: "shipped",
          shipments: [{ carrier: "DHL", trackingNumber: "JD014600006281234567" }],
          at: new Date().toISOString(),
          version: 3,
        },
      ],
    });
    const shipment = await until(async () => bc.orders.get(300)?.shipments[0], 30_000, "the shipment in BigCommerce");
    expect(shipment).toMatchObject({ tracking_number: "JD014600006281234567", items: [{ order_product_id: 30000, quantity: 3 }] });

    // The ERP counts the shipped order from now on: 10 on hand, 3 committed.
    await erpPush("stock", { items: [{ sku: SKU, warehouse: "BER", onHand: 10, committed: 3, version: 2 }] });
    const run = await fetch(`${edge.url}/v1/staff/${SHOP}/connectors/platform/run`, {
      method: "POST",
      headers: { authorization: `Bearer ${secrets.staffKey}` },
    });
    expect(run.status, await run.clone().text()).toBe(200);
    expect(await until(async () => bc.stock.get("1/901"), 30_000, "stock in BigCommerce")).toBe(7);
    expect(bc.rejected429).toEqual([]);
  });
});
