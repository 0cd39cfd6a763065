import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { expect } from "vitest";
import { signedHeaders } from "../../worker/cli/lib/standard-webhooks.mjs";
import { StaffProduct } from "../../worker/contract";
import { type Edge, startEdge } from "./edge";

/**
 * A shop on a real `wrangler dev` whose platform is a protocol fake served over HTTP and whose ERP
 * endpoint records what it is sent: the set-up the platform order e2e tests share.
 */
export interface PlatformShop {
  edge: Edge;
  staffKey: string;
  /** Order events the ERP endpoint received. */
  erpOrders: Array<{ type: string; order: { orderRef: string; lines: Array<{ sku?: string; qty: number }> } }>;
  erpPush: (resource: string, body: unknown) => Promise<void>;
  /** Units of `sku` the edge holds for orders (undefined until the product exists). */
  reserved: (sku: string) => Promise<number | undefined>;
  until: <T>(check: () => Promise<T | undefined>, ms: number, what: string) => Promise<T>;
  stop: () => Promise<void>;
}

/** Serves a fetch handler (a fake) over node:http on 127.0.0.1. */
function serve(port: number, handle: (request: Request) => Response | Promise<Response>): Promise<Server> {
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
  return new Promise((ok) => server.listen(port, "127.0.0.1", () => ok(server)));
}

export async function startPlatformShop(o: {
  shop: string;
  platform: string;
  hookSecret: string;
  ports: { fake: number; erp: number; edge: number };
  fake: { fetch: (request: Request) => Response | Promise<Response> };
  /** The platform connector's settings, given the fake's URL. */
  connector: (fakeUrl: string) => Record<string, unknown>;
  /** The products the ERP pushes, each with 10 on hand in BER. */
  skus: string[];
}): Promise<PlatformShop> {
  const erpOrders: PlatformShop["erpOrders"] = [];
  const servers = [
    await serve(o.ports.fake, o.fake.fetch),
    await serve(o.ports.erp, async (request) => {
      erpOrders.push(await request.json());
      return Response.json({ erpRef: `SO-${erpOrders.length}` });
    }),
  ];
  const edge = await startEdge({ port: o.ports.edge });
  const stop = async () => {
    await edge.stop();
    for (const server of servers) server.close();
  };
  try {
    return await setUp(o, edge, erpOrders, stop);
  } catch (e) {
    // A set-up that fails half-way leaves no wrangler behind.
    await stop();
    throw e;
  }
}

async function setUp(
  o: Parameters<typeof startPlatformShop>[0],
  edge: Edge,
  erpOrders: PlatformShop["erpOrders"],
  stop: () => Promise<void>,
): Promise<PlatformShop> {
  const json = JSON.stringify;
  const admin = { authorization: `Bearer ${edge.adminToken}`, "content-type": "application/json" };
  const created = await fetch(`${edge.url}/v1/admin/shops`, {
    method: "POST",
    headers: admin,
    body: json({
      id: o.shop,
      name: o.shop,
      platform: o.platform,
      origins: ["https://shop.example"],
      currency: "USD",
      locale: "en-US",
      platformWebhookSecret: o.hookSecret,
    }),
  });
  expect(created.status).toBe(201);
  const secrets: { erpSecret: string; staffKey: string } = await created.json();
  const settings = await fetch(`${edge.url}/v1/admin/shops/${o.shop}/orders-settings`, {
    method: "PUT",
    headers: admin,
    body: json({ erpEndpointUrl: `http://127.0.0.1:${o.ports.erp}/orders` }),
  });
  expect(settings.status).toBe(200);
  const connector = await fetch(`${edge.url}/v1/staff/${o.shop}/connectors/platform`, {
    method: "PUT",
    headers: { authorization: `Bearer ${secrets.staffKey}`, "content-type": "application/json" },
    body: json({ settings: o.connector(`http://127.0.0.1:${o.ports.fake}`), enabled: true }),
  });
  expect(connector.status, await connector.clone().text()).toBe(200);

  const erpPush = async (resource: string, body: unknown): Promise<void> => {
    const raw = json(body);
    const res = await fetch(`${edge.url}/v1/erp/${o.shop}/${resource}`, {
      method: "POST",
      headers: { ...signedHeaders(secrets.erpSecret, raw), "content-type": "application/json" },
      body: raw,
    });
    expect(res.status, await res.clone().text()).toBe(200);
  };
  await erpPush("warehouses", { warehouses: [{ code: "BER", name: "Berlin" }] });
  await erpPush("products", { products: o.skus.map((sku) => ({ sku, name: sku, version: 1 })) });
  await erpPush("stock", { items: o.skus.map((sku) => ({ sku, warehouse: "BER", onHand: 10, version: 1 })) });

  return {
    edge,
    staffKey: secrets.staffKey,
    erpOrders,
    erpPush,
    reserved: async (sku) => {
      const res = await fetch(`${edge.url}/v1/staff/${o.shop}/products/${sku}`, { headers: { authorization: `Bearer ${secrets.staffKey}` } });
      if (res.status !== 200) return undefined;
      return StaffProduct.parse(await res.json()).warehouses.reduce((n, w) => n + w.reserved, 0);
    },
    until: async (check, ms, what) => {
      const deadline = Date.now() + ms;
      for (;;) {
        const value = await check();
        if (value !== undefined) return value;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${edge.log().slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    stop,
  };
}
