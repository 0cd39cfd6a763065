import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { poolObject } from "../../worker/pool/plane";
import { EVERY_15_MINUTES, EVERY_MINUTE, runScheduled } from "../../worker/scheduled";
import { createShop, poolDb } from "./helpers";

/**
 * The cron runs each pool's jobs inside the pool's object (issue 17): one call into each object per
 * tick, whatever the jobs do, and the object's rules (a shop moved away is refused) hold there too.
 */

const POOLS = ["tick-a", "tick-b", "tick-c"];
const DAY = 86_400_000;

/** `env` whose pool objects count every call made into them, by pool. */
function counting(base: Env): { env: Env; calls: Map<string, string[]> } {
  const calls = new Map<string, string[]>();
  const names = new Map<string, string>();
  const namespace = new Proxy(base.POOLS, {
    get(target, key) {
      if (key === "idFromName")
        return (name: string) => {
          const id = target.idFromName(name);
          names.set(id.toString(), name);
          return id;
        };
      if (key === "get")
        return (id: DurableObjectId) => {
          const stub = target.get(id);
          const pool = names.get(id.toString()) ?? id.toString();
          return new Proxy(stub, {
            get(s, method) {
              const value = Reflect.get(s, method);
              if (typeof value !== "function") return value;
              return (...args: unknown[]) => {
                calls.set(pool, [...(calls.get(pool) ?? []), String(method)]);
                return Reflect.apply(value, s, args);
              };
            },
          });
        };
      const value = Reflect.get(target, key);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { env: { ...base, POOLS: namespace }, calls };
}

/** An order of `shop` holding a reservation since `at` (with no TTL set, it expires a day later). */
async function heldOrder(shop: string, ref: string, at: number): Promise<void> {
  await poolDb(shop)
    .prepare(
      `INSERT INTO shop_orders (shop_id, order_ref, platform, state, reservation, reserved_at, created_at, updated_at)
       VALUES (?1, ?2, 'shopify', '{"cancelled":false,"financialStatus":"paid"}', 'held', ?3, ?3, ?3)`,
    )
    .bind(shop, ref, at)
    .run();
}

const reservationOf = (shop: string, ref: string) =>
  poolDb(shop).prepare("SELECT reservation FROM shop_orders WHERE shop_id = ? AND order_ref = ?").bind(shop, ref).first<string>("reservation");

beforeAll(async () => {
  for (const pool of POOLS) await createShop(pool);
});

describe("one cron tick, one call into each pool's object", () => {
  it("every-minute tick: exactly one call per pool, and the jobs did their work in the object", async () => {
    const now = Date.now();
    await heldOrder("tick-a", "old", now - 2 * DAY);
    await heldOrder("tick-b", "fresh", now);
    const { env: counted, calls } = counting(env);
    const out = await runScheduled(EVERY_MINUTE, counted, now, async () => new Response("{}"));
    expect(Object.fromEntries(calls)).toEqual(Object.fromEntries(POOLS.map((p) => [p, ["tick"]])));
    // The record keeps its shape: one figure per job, summed over pools.
    expect(Object.keys(out).sort()).toEqual(["backInStock", "connectors", "demand", "expired", "forecasts", "inbox", "pruned", "released", "requeued"]);
    expect(Object.entries(out).filter(([, v]) => typeof v === "string")).toEqual([]);
    expect(out.expired).toBe(1);
    expect(await reservationOf("tick-a", "old")).toBe("expired");
    expect(await reservationOf("tick-b", "fresh")).toBe("held");
  });

  it("15-minute tick: one call per pool too (reconciliation and PRAGMA optimize in the object)", async () => {
    const { env: counted, calls } = counting(env);
    const out = await runScheduled(EVERY_15_MINUTES, counted, Date.now(), async () => new Response("{}"));
    expect(Object.fromEntries(calls)).toEqual(Object.fromEntries(POOLS.map((p) => [p, ["tick"]])));
    expect(out).toMatchObject({ optimized: POOLS.length, reconcile: 0 });
  });
});

describe("the in-object tick stays in its pool", () => {
  it("an object runs the tick of its own pool only", async () => {
    // Caught where the call is made (an RPC promise handed to `expect(...).rejects` is reported as unhandled by the pool).
    const refused = await poolObject(env, "tick-a")
      .tick("tick-b", EVERY_MINUTE, Date.now())
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(refused).toBeInstanceOf(Error);
    expect(String(refused)).toMatch(/not the object of pool tick-b/);
  });

  it("a shop sealed in its old object is not touched by that object's jobs; the failure reads 'pool: message' and other pools still run", async () => {
    const now = Date.now();
    await heldOrder("tick-c", "moved", now - 2 * DAY);
    await heldOrder("tick-b", "stays", now - 2 * DAY);
    const old = poolObject(env, "tick-c");
    await old.seal("tick-c");
    try {
      const out = await runScheduled(EVERY_MINUTE, env, now, async () => new Response("{}"));
      expect(out.expired).toMatch(/^tick-c: .*moved/);
      expect(await reservationOf("tick-b", "stays")).toBe("expired");
    } finally {
      await old.unseal("tick-c");
    }
    expect(await reservationOf("tick-c", "moved")).toBe("held");
  });
});
