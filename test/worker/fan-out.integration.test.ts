import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { LiveMessage } from "../../worker/contract";
import { publishStock, publishToChannel } from "../../worker/hub/publish";
import { call, countingPoolCalls, createShop, ORIGIN, seedBasics } from "./helpers";

/**
 * A stock change's fan-out to the live widgets of a pool on the pool data plane (issue 17): the
 * audience, the kits a changed SKU belongs to, the availability of each and the sends all happen
 * inside the pool's object, in one call from the worker, where each step was its own call into the
 * same object (and the pool's channels a read of D1): the object reads them from its copy.
 */

const SHOP = "fan-one";

/** `env` on the shop's pool, counting every call into a pool object: statements through the plane, and methods of its stubs. */
function counting(): { env: Env; calls: () => string[] } {
  const calls: string[] = [];
  const db = countingPoolCalls(SHOP, () => calls.push("run"));
  const stub = (s: object): object =>
    new Proxy(s, {
      get(target, key) {
        const value: unknown = Reflect.get(target, key);
        if (typeof value !== "function" || typeof key !== "string") return value;
        return (...args: unknown[]) => {
          calls.push(key);
          return Reflect.apply(value, target, args);
        };
      },
    });
  const pools = new Proxy(env.POOLS, {
    get(target, key) {
      if (key === "get") return (id: DurableObjectId) => stub(target.get(id));
      const value: unknown = Reflect.get(target, key);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { env: { ...env, DB: db, POOLS: pools }, calls: () => calls };
}

beforeAll(async () => {
  const { erpSecret } = await createShop(SHOP);
  await seedBasics(SHOP, erpSecret);
});

describe("a stock change's fan-out on the pool data plane", () => {
  it("is one call into the pool's object, which finds the channels in its copy of the registry rows, and the widget gets the fresh number", async () => {
    const res = await call(`/v1/shops/${SHOP}/live?sku=CAP`, { headers: { upgrade: "websocket", origin: ORIGIN } });
    expect(res.status).toBe(101);
    const ws = res.webSocket;
    if (!ws) throw new Error("no socket");
    const frames: LiveMessage[] = [];
    ws.addEventListener("message", (e) => frames.push(LiveMessage.parse(JSON.parse(String(e.data)))));
    ws.accept();

    const counted = counting();
    await publishStock(counted.env, { id: SHOP }, ["CAP"]);
    expect(counted.calls()).toEqual(["fanOutPool"]);

    for (let i = 0; i < 100 && !frames.some((f) => f.type === "stock"); i++) await new Promise((r) => setTimeout(r, 20));
    const stock = frames.find((f) => f.type === "stock");
    expect(stock?.type === "stock" ? stock.item.sku : undefined).toBe("CAP");
    ws.close();
  });

  it("with nobody watching, it is the same one call", async () => {
    const counted = counting();
    await publishStock(counted.env, { id: SHOP }, ["CAP", "MUG"]);
    expect(counted.calls()).toEqual(["fanOutPool"]);
  });

  it("one channel's fan-out (after a reservation changed stock) is one call too", async () => {
    const counted = counting();
    await publishToChannel(counted.env, { shop: SHOP, pool: SHOP, lowStockThreshold: 5 }, ["CAP"]);
    expect(counted.calls()).toEqual(["fanOut"]);
  });
});
