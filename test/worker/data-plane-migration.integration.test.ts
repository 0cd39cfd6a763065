import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { MigrationProgress } from "../../worker/contract";
import { poolObject } from "../../worker/pool/plane";
import { ADMIN, call, createShop, ORIGIN, pushOk, seedBasics } from "./helpers";

/**
 * A deployment from before issue 17 keeps every pool's data in D1. Its pools are listed in
 * `data_plane_pools` as 'd1' (migration 0026 does that for every shop it finds) and keep working on
 * D1 until `npm run migrate-pools` moves them, a bounded, resumable step at a time.
 */
const OLD = "mig-old";
const OTHER = "mig-other";

/** A shop as a deployment from before issue 17 has it: registered, its data written to D1. */
async function shopOnD1(id: string): Promise<string> {
  const secrets = await createShop(id);
  await env.DB.prepare("INSERT INTO data_plane_pools (pool_id, state, updated_at) VALUES (?, 'd1', ?)").bind(id, Date.now()).run();
  // Written through the edge while the pool is on D1: the rows land in D1, as before issue 17.
  await seedBasics(id, secrets.erpSecret);
  await pushOk(id, secrets.erpSecret, "stock", {
    items: Array.from({ length: 1200 }, (_, i) => ({ sku: `BULK-${i}`, warehouse: "BER", onHand: i % 7, version: 1 })),
  });
  return secrets.erpSecret;
}

const inD1 = async (table: string, shop: string) => env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE shop_id = ?`).bind(shop).first<number>("n");
const availability = (shop: string) => call(`/v1/shops/${shop}/availability?sku=BULK-5&sku=BULK-13`, { headers: { origin: ORIGIN } });
const step = async (pages: number) => {
  const res = await call(`/v1/admin/data-plane/migrate?pages=${pages}`, { method: "POST", headers: ADMIN });
  expect(res.status).toBe(200);
  return MigrationProgress.parse(await res.json());
};

describe("moving a pool's data out of D1 (npm run migrate-pools)", () => {
  it("works on D1 until moved, answers 503 only while its own rows are copied, then serves the same answers from its object; D1 is emptied; a rerun changes nothing", {
    timeout: 120_000,
  }, async () => {
    await shopOnD1(OLD);
    await shopOnD1(OTHER);
    const stockRows = await inD1("stock", OLD);
    expect(stockRows).toBeGreaterThan(1200);
    expect(await poolObject(env, OLD).count("stock", "shop_id = ?1", [OLD])).toBe(0);
    const before = await (await availability(OLD)).json();
    expect(before).toMatchObject({
      items: [
        { sku: "BULK-13", available: 6 },
        { sku: "BULK-5", available: 5 },
      ],
    });

    // A pool still in D1 neither takes nor gives a channel, and asking drops nothing.
    await createShop("mig-new");
    const warehouses = await inD1("warehouses", OLD);
    const join = await call(`/v1/admin/pools/mig-new/channels/${OLD}`, {
      method: "PUT",
      headers: { ...ADMIN, "content-type": "application/json" },
      body: JSON.stringify({ dropReplica: true }),
    });
    expect([join.status, ((await join.json()) as { error: { code: string } }).error.code]).toEqual([409, "pool_not_migrated"]);
    expect(await inD1("warehouses", OLD)).toBe(warehouses);

    // One page: the first pool is now being moved, so it answers 503 with Retry-After; the other keeps working on D1.
    expect((await step(1)).pools).toEqual({ d1: 1, migrating: 1, done: 0 });
    // (A question answered a moment ago may still come from this isolate's memory; a new one needs the pool.)
    const busy = await call(`/v1/shops/${OLD}/availability?sku=BULK-7`, { headers: { origin: ORIGIN } });
    expect([busy.status, busy.headers.get("retry-after"), ((await busy.json()) as { error: { code: string } }).error.code]).toEqual([
      503,
      "5",
      "pool_migrating",
    ]);
    expect((await availability(OTHER)).status).toBe(200);

    // Small steps until done: it resumes where it stood each time.
    let progress = await step(2);
    let calls = 1;
    while (!progress.done && calls++ < 200) progress = await step(2);
    expect(progress.pools).toEqual({ d1: 0, migrating: 0, done: 2 });
    expect(await poolObject(env, OLD).count("stock", "shop_id = ?1", [OLD])).toBe(stockRows);
    for (const table of ["stock", "products", "warehouses", "audit_log"]) expect([table, await inD1(table, OLD)]).toEqual([table, 0]);
    // Served from the pool's object now, the same answer as from D1 before.
    expect(await (await availability(OLD)).json()).toEqual(before);
    const rerun = await step(100);
    expect(rerun).toEqual({ pools: { d1: 0, migrating: 0, done: 2 }, copied: 0, deleted: 0, done: true });
  });

  it("is for the operator only", async () => {
    expect((await call("/v1/admin/data-plane/migrate", { method: "POST" })).status).toBe(401);
    expect((await call("/v1/admin/data-plane/migrate?pages=0", { method: "POST", headers: ADMIN })).status).toBe(400);
  });
});
