import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootDemo } from "../../worker/cli/lib/demo-boot.mjs";
import { startLocalCron } from "../../worker/cli/lib/local-cron.mjs";
import { StaffProduct, SyncHealth } from "../../worker/contract";
import { openShopifyOrder, shopifyHeaders, shopifyOrderBody } from "../fakes/hooks";
import shopifyCreate from "../fixtures/shopify/orders_create.json";
import { type Edge, startEdge } from "./edge";
import { e2ePort } from "./ports";

/**
 * `npm start` on a real `wrangler dev`: shop orders that arrive while the demo shop is being seeded
 * are reserved within seconds, like any other (nothing waits for a cron).
 */

const SKU = "TEE-ORG-M-BLK";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let edge: Edge;
let dir: string;

beforeAll(async () => {
  edge = await startEdge({ port: e2ePort(8860) });
  dir = mkdtempSync(join(tmpdir(), "backroom-startup-"));
});

afterAll(async () => {
  await edge?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function reservedUnits(staffKey: string): Promise<number | undefined> {
  const res = await fetch(`${edge.url}/v1/staff/demo/products/${SKU}`, { headers: { authorization: `Bearer ${staffKey}` } });
  if (res.status !== 200) return undefined;
  const product = StaffProduct.parse(await res.json());
  // Before the seed's stock push there is nothing to reserve yet.
  if (product.warehouses.length === 0) return undefined;
  return product.warehouses.reduce((n, w) => n + w.reserved, 0);
}

describe("npm start: a webhook during start-up", () => {
  it("is reserved within seconds, however the start-up and the webhooks interleave", async () => {
    const credsFile = join(dir, "demo-credentials.json");
    let booted = false;
    const boot = bootDemo(edge.url, edge.adminToken, { credsFile }).finally(() => {
      booted = true;
    });

    // As soon as the shop exists (its credentials are on disk) and its stock is in, orders start coming.
    const deadline = Date.now() + 60_000;
    while (!existsSync(credsFile) && Date.now() < deadline) await sleep(20);
    const creds: { platformWebhookSecret: string; staffKey: string } = JSON.parse(readFileSync(credsFile, "utf8"));
    while ((await reservedUnits(creds.staffKey)) === undefined && Date.now() < deadline) await sleep(20);

    // One order every 100 ms (a platform does not wait for the previous answer) until start-up is
    // over, and on for 4 s after it.
    const answers: Array<Promise<number>> = [];
    let bootedAt: number | undefined;
    for (let i = 0; bootedAt === undefined || Date.now() - bootedAt < 4_000; i++) {
      if (booted) bootedAt ??= Date.now();
      const orderId = String(7_000_000_000_000_000_000n + BigInt(i));
      const body = shopifyOrderBody((o) => {
        openShopifyOrder(o);
        o.name = `#S${i}`;
        o.line_items = [{ ...shopifyCreate.response.line_items[0], id: 1, sku: SKU, quantity: 1, current_quantity: 1 }];
      }, orderId);
      const headers = await shopifyHeaders(creds.platformWebhookSecret, body, "orders/create", `startup-${i}`);
      answers.push(fetch(`${edge.url}/v1/hooks/shopify/demo`, { method: "POST", headers, body }).then((r) => r.status));
      await sleep(100);
    }
    await boot;
    const statuses = await Promise.all(answers);
    expect(
      statuses.every((s) => s === 200),
      String(statuses),
    ).toBe(true);
    const sent = statuses.length;

    // Every order holds its unit within seconds; nothing is left in the inbox.
    const reservedBy = Date.now() + 10_000;
    let reserved = await reservedUnits(creds.staffKey);
    while (reserved !== sent && Date.now() < reservedBy) {
      await sleep(200);
      reserved = await reservedUnits(creds.staffKey);
    }
    const sync = SyncHealth.parse(await (await fetch(`${edge.url}/v1/staff/demo/sync`, { headers: { authorization: `Bearer ${creds.staffKey}` } })).json());
    expect({ reserved, inboundBacklog: sync.inboundBacklog }, edge.log().slice(-3000)).toEqual({ reserved: sent, inboundBacklog: 0 });
  });

  it("then fires the cron triggers itself, through wrangler dev's scheduled route", async () => {
    const errors: string[] = [];
    const cron = startLocalCron(edge.url, { log: (m: string) => errors.push(m) });
    try {
      await cron.first;
    } finally {
      cron.stop();
    }
    expect(cron.crons.length).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });
});
