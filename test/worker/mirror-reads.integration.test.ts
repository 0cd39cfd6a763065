import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { notifyBackInStock } from "../../worker/back-in-stock/restock";
import { loadChannelsBeside } from "../../worker/db/channels";
import { getShop } from "../../worker/db/shops";
import { readPublicShop } from "../../worker/http/shop";
import { channelsOfPool } from "../../worker/hub/channels";
import { publishStock } from "../../worker/hub/publish";
import { poolObject, registryRows } from "../../worker/pool/plane";
import { ADMIN, call, countingPoolCalls, createShop, pushOk } from "./helpers";

/**
 * Reads that need only the registry rows a pool's object keeps a copy of (its shops and their channel
 * rules) take them from that copy (issue 17): the public availability read's shop row, and the
 * channels a stock push tells and checks for back-in-stock subscribers. Locally every D1 call is a
 * call into another isolate that costs the one process more CPU than a call into the pool's object,
 * and in production it is a hop to the registry beside the hop to the pool's object the read makes
 * anyway. The answers are the registry's own.
 */

const ROOT = "mirror-root";
const CHANNEL = "mirror-b2b";
let erpSecret = "";

/** `env` on `shop`'s pool as a request gets it, counting the calls that reach the registry (D1) and those into the pool's object. */
function counting(shop: string): { env: Env; registryCalls: () => number; poolCalls: () => number } {
  const registry = env.DB;
  let registryCalls = 0;
  let poolCalls = 0;
  const statement = (s: D1PreparedStatement): D1PreparedStatement =>
    new Proxy(s, {
      get(target, key) {
        if (key === "bind") return (...args: unknown[]) => statement(target.bind(...args));
        if (key === "first" || key === "all" || key === "run" || key === "raw") registryCalls++;
        const value: unknown = Reflect.get(target, key);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  const countedRegistry = new Proxy(registry, {
    get(target, key) {
      if (key === "prepare") return (sql: string) => statement(target.prepare(sql));
      if (key === "batch") registryCalls++;
      const value: unknown = Reflect.get(target, key);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  // The shop's plane as a request gets it, its pool looked up in the counted registry (or remembered).
  const db = countingPoolCalls(
    shop,
    () => {
      poolCalls++;
    },
    countedRegistry,
  );
  return { env: { ...env, DB: db }, registryCalls: () => registryCalls, poolCalls: () => poolCalls };
}

beforeAll(async () => {
  ({ erpSecret } = await createShop(ROOT));
  await createShop(CHANNEL, { platform: "woocommerce" });
  const put = (path: string, body: unknown) =>
    call(path, { method: "PUT", headers: { ...ADMIN, "content-type": "application/json" }, body: JSON.stringify(body) });
  expect((await put(`/v1/admin/pools/${ROOT}/channels/${CHANNEL}`, {})).status).toBe(200);
  expect((await put(`/v1/admin/shops/${CHANNEL}/channel-rules`, { buffer: { units: 2 } })).status).toBe(200);
  await pushOk(ROOT, erpSecret, "warehouses", { warehouses: [{ code: "BER", name: "Berlin" }] });
  await pushOk(ROOT, erpSecret, "products", { products: [{ sku: "MIR-1", name: "Mirror one", version: 1 }] });
  await pushOk(ROOT, erpSecret, "stock", { items: [{ sku: "MIR-1", warehouse: "BER", onHand: 9, version: 1 }] });
});

describe("reads of the registry's copy in the pool object", () => {
  it("a stock push's live fan-out and back-in-stock check read the pool's channels from its object, never from D1", async () => {
    const fanOut = counting(ROOT);
    await publishStock(fanOut.env, { id: ROOT }, ["MIR-1"]);
    expect(fanOut.registryCalls()).toBe(0);
    const restock = counting(ROOT);
    await notifyBackInStock(restock.env, { id: ROOT }, ["MIR-1"]);
    expect(restock.registryCalls()).toBe(0);
    expect(restock.poolCalls()).toBeGreaterThan(0);
  });

  it("the channels read from the copy are the registry's: root first, each with its rules", async () => {
    const { env: onPool } = counting(CHANNEL);
    const fromCopy = await channelsOfPool(onPool, CHANNEL);
    expect(fromCopy).toEqual(await loadChannelsBeside(env.DB, CHANNEL));
    expect(fromCopy.map((c) => [c.shop, c.pool, c.rules.buffer])).toEqual([
      [ROOT, ROOT, null],
      [CHANNEL, ROOT, { units: 2 }],
    ]);
  });

  it("the public read's shop row comes from the copy, equal to D1's, with no D1 call when the pool is known", async () => {
    // The first request of an isolate finds the shop's pool in the registry; the next ones remember it.
    await readPublicShop(counting(CHANNEL).env.DB, CHANNEL);
    const known = counting(CHANNEL);
    const row = await readPublicShop(known.env.DB, CHANNEL);
    expect(known.registryCalls()).toBe(0);
    expect(known.poolCalls()).toBe(1);
    expect(row).toEqual(await getShop(env.DB, CHANNEL));
    expect(row.rulesVersion).toBeTypeOf("number");
  });

  it("a rule change shows in the copy at once", async () => {
    const res = await call(`/v1/admin/shops/${CHANNEL}/channel-rules`, {
      method: "PUT",
      headers: { ...ADMIN, "content-type": "application/json" },
      body: JSON.stringify({ buffer: { units: 5 } }),
    });
    expect(res.status).toBe(200);
    const [, channel] = await channelsOfPool(counting(CHANNEL).env, CHANNEL);
    expect(channel?.rules.buffer).toEqual({ units: 5 });
    expect((await readPublicShop(counting(CHANNEL).env.DB, CHANNEL)).rulesVersion).toBe((await getShop(env.DB, CHANNEL))?.rulesVersion);
  });

  it("an object whose copy was never written reads D1 instead; an unknown shop is a 404", async () => {
    const object = poolObject(env, ROOT);
    await object.mirror({ shops: [], channels: [] });
    try {
      const empty = counting(ROOT);
      expect((await channelsOfPool(empty.env, ROOT)).map((c) => c.shop)).toEqual([ROOT, CHANNEL]);
      expect((await readPublicShop(empty.env.DB, ROOT)).id).toBe(ROOT);
      expect(empty.registryCalls()).toBeGreaterThan(0);
    } finally {
      await object.mirror(await registryRows(env.DB, ROOT));
    }
    await expect(readPublicShop(counting("no-such-shop").env.DB, "no-such-shop")).rejects.toMatchObject({ status: 404 });
  });
});

describe("the pool of a shop, remembered by the isolate", () => {
  afterEach(() => vi.useRealTimers());

  it("is asked of the registry once in minutes: a stale entry is refused by the old object and costs one more call, never a wrong answer", async () => {
    const first = counting(CHANNEL);
    await readPublicShop(first.env.DB, CHANNEL);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 120_000);
    const later = counting(CHANNEL);
    await readPublicShop(later.env.DB, CHANNEL);
    expect(later.registryCalls()).toBe(0);
  });
});
