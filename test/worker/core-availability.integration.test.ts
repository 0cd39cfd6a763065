import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { Availability, AvailabilityItem } from "../../worker/contract";
import { availabilityCacheKey, availabilityScope, forgetAvailability } from "../../worker/http/availability-memo";
import { call, createShop, ORIGIN, poolDb, pushOk } from "./helpers";

/**
 * Public availability through the real route. Answers are micro-cached for a couple of seconds,
 * so every case below asks for its own SKUs (or its own shop) and reads each state once.
 */

async function availability(shop: string, skus: string[]): Promise<{ res: Response; items: Map<string, AvailabilityItem> }> {
  const res = await call(`/v1/shops/${shop}/availability?${skus.map((s) => `sku=${encodeURIComponent(s)}`).join("&")}`, { headers: { origin: ORIGIN } });
  const body: Availability = res.status === 200 ? await res.json() : { items: [] };
  return { res, items: new Map(body.items.map((i) => [i.sku, i])) };
}

const SHOP = "atp";
let secret: string;

beforeAll(async () => {
  secret = (await createShop(SHOP)).erpSecret;
  await pushOk(SHOP, secret, "warehouses", {
    warehouses: [
      { code: "BER", name: "Berlin", country: "DE" },
      { code: "HAM", name: "Hamburg", country: "DE" },
    ],
  });
  await pushOk(SHOP, secret, "products", {
    products: [
      { sku: "ATP", name: "ATP rule", safetyStock: 2, version: 1 },
      { sku: "OVERSOLD", name: "Committed beyond on hand", version: 1 },
      { sku: "NEGATIVE", name: "Negative on hand", version: 1 },
      { sku: "BACK", name: "Backorderable", backorder: true, version: 1 },
      { sku: "BACK-SOME", name: "Backorderable with stock", backorder: true, version: 1 },
      { sku: "LOW", name: "Low", version: 1 },
      { sku: "EDGE", name: "At the threshold", version: 1 },
      { sku: "PLENTY", name: "Plenty", version: 1 },
      { sku: "ALIASED", name: "Has aliases", gtin: "4006381333931", aliases: ["OLD-1", "legacy/1"], version: 1 },
      { sku: "ARRIVING", name: "Arriving", version: 1 },
      { sku: "UPC-ONLY", name: "Barcode as a 12-digit UPC", gtin: "036000291452", version: 1 },
      { sku: "EAN8-ONLY", name: "Barcode as an EAN-8", gtin: "96385074", version: 1 },
      { sku: "NO-STOCK-ROWS", name: "Product without stock", version: 1 },
    ],
  });
  await pushOk(SHOP, secret, "stock", {
    items: [
      { sku: "ATP", warehouse: "BER", onHand: 20, committed: 3, version: 1 },
      { sku: "ATP", warehouse: "HAM", onHand: 4, committed: 1, version: 1 },
      { sku: "OVERSOLD", warehouse: "BER", onHand: 2, committed: 9, version: 1 },
      { sku: "NEGATIVE", warehouse: "BER", onHand: -7, version: 1 },
      { sku: "BACK", warehouse: "BER", onHand: 0, version: 1 },
      { sku: "BACK-SOME", warehouse: "BER", onHand: 30, version: 1 },
      { sku: "LOW", warehouse: "BER", onHand: 3, version: 1 },
      { sku: "EDGE", warehouse: "BER", onHand: 5, version: 1 },
      { sku: "PLENTY", warehouse: "BER", onHand: 6, version: 1 },
      { sku: "ALIASED", warehouse: "HAM", onHand: 40, version: 1 },
      { sku: "UPC-ONLY", warehouse: "HAM", onHand: 12, version: 1 },
      { sku: "EAN8-ONLY", warehouse: "BER", onHand: 8, version: 1 },
      {
        sku: "ARRIVING",
        warehouse: "BER",
        onHand: 0,
        incoming: [
          { qty: 50, eta: "2000-01-01", ref: "PO-PAST" },
          { qty: 12, eta: "2099-06-01", ref: "PO-2" },
          { qty: 8, eta: "2099-05-01T09:00:00+02:00", ref: "PO-1" },
        ],
        version: 1,
      },
      { sku: "ARRIVING", warehouse: "HAM", onHand: 0, incoming: [{ qty: 4, eta: "2099-05-01" }], version: 1 },
      { sku: "UNKNOWN-PRODUCT", warehouse: "HAM", onHand: 9, version: 1 },
    ],
  });
  // Reservations are taken at the edge by shop orders; set one directly to see it subtracted.
  await poolDb(SHOP).prepare("UPDATE stock SET reserved = 5 WHERE shop_id = ? AND sku = 'ATP' AND warehouse = 'BER'").bind(SHOP).run();
});

describe("available to promise", () => {
  it("is onHand − committed − reserved − safetyStock per warehouse, summed", async () => {
    const { res, items } = await availability(SHOP, ["ATP"]);
    expect(res.status).toBe(200);
    // BER: 20 − 3 − 5 − 2 = 10; HAM: 4 − 1 − 0 − 2 = 1.
    expect(items.get("ATP")).toMatchObject({
      available: 11,
      status: "in_stock",
      warehouses: [
        { code: "BER", name: "Berlin", available: 10 },
        { code: "HAM", name: "Hamburg", available: 1 },
      ],
    });
    expect(Date.parse(items.get("ATP")?.updatedAt ?? "")).toBeGreaterThan(Date.now() - 60_000);
  });

  it("is never below zero, whatever the ERP sends", async () => {
    const { items } = await availability(SHOP, ["OVERSOLD", "NEGATIVE"]);
    for (const sku of ["OVERSOLD", "NEGATIVE"]) {
      expect(items.get(sku)).toMatchObject({ available: 0, status: "out_of_stock", warehouses: [{ code: "BER", available: 0 }] });
    }
  });
});

describe("status", () => {
  it("is low_stock at or below the shop's threshold (default 5) and in_stock above", async () => {
    const { items } = await availability(SHOP, ["LOW", "EDGE", "PLENTY"]);
    expect(items.get("LOW")?.status).toBe("low_stock");
    expect(items.get("EDGE")?.status).toBe("low_stock");
    expect(items.get("PLENTY")?.status).toBe("in_stock");
  });

  it("uses each shop's own threshold", async () => {
    const strict = await createShop("atp-threshold", { lowStockThreshold: 10 });
    await pushOk("atp-threshold", strict.erpSecret, "warehouses", { warehouses: [{ code: "BER", name: "Berlin" }] });
    await pushOk("atp-threshold", strict.erpSecret, "stock", { items: [{ sku: "PLENTY", warehouse: "BER", onHand: 6, version: 1 }] });
    const { items } = await availability("atp-threshold", ["PLENTY"]);
    expect(items.get("PLENTY")?.status).toBe("low_stock");
  });

  it("is backorder when nothing is available and the product allows backorders, otherwise as stock says", async () => {
    const { items } = await availability(SHOP, ["BACK", "BACK-SOME"]);
    expect(items.get("BACK")).toMatchObject({ available: 0, status: "backorder" });
    expect(items.get("BACK-SOME")).toMatchObject({ available: 30, status: "in_stock" });
  });
});

describe("next arrival", () => {
  it("is the earliest future delivery, summing the POs due that day across warehouses; past ETAs are ignored", async () => {
    const { items } = await availability(SHOP, ["ARRIVING"]);
    expect(items.get("ARRIVING")).toMatchObject({ available: 0, status: "out_of_stock", nextArrival: { qty: 12, eta: "2099-05-01" } });
    const none = await availability(SHOP, ["PLENTY"]);
    expect(none.items.get("PLENTY")).not.toHaveProperty("nextArrival");
  });
});

describe("SKU resolution", () => {
  it("resolves aliases and GTINs to the ERP's SKU and answers under the name asked", async () => {
    const { items } = await availability(SHOP, ["OLD-1", "legacy/1", "4006381333931"]);
    expect([...items.keys()].sort()).toEqual(["4006381333931", "OLD-1", "legacy/1"]);
    for (const item of items.values()) expect(item).toMatchObject({ available: 40, warehouses: [{ code: "HAM", available: 40 }] });
  });

  it("finds a product by its GTIN whatever length the page writes it in (all compared as GTIN-14)", async () => {
    const asked = ["36000291452", "036000291452", "0036000291452", "00036000291452", "00000096385074", "096385074"];
    const { items } = await availability(SHOP, asked);
    expect([...items.keys()].sort()).toEqual([...asked].sort());
    for (const k of asked.slice(0, 4)) expect(items.get(k)).toMatchObject({ available: 12, warehouses: [{ code: "HAM", available: 12 }] });
    for (const k of asked.slice(4)) expect(items.get(k)).toMatchObject({ available: 8, warehouses: [{ code: "BER", available: 8 }] });
  });

  it("does not read a digit string longer than 14 or a non-numeric one as a GTIN", async () => {
    const { items } = await availability(SHOP, ["000036000291452", "x36000291452"]);
    expect(items.size).toBe(0);
  });

  it("leaves out SKUs the ERP never sent, and answers stock of SKUs without a product row", async () => {
    const { res, items } = await availability(SHOP, ["NEVER-HEARD-OF", "UNKNOWN-PRODUCT", "NO-STOCK-ROWS"]);
    expect(res.status).toBe(200);
    expect(items.has("NEVER-HEARD-OF")).toBe(false);
    expect(items.get("UNKNOWN-PRODUCT")).toMatchObject({ available: 9, status: "in_stock" });
    expect(items.get("NO-STOCK-ROWS")).toMatchObject({ available: 0, status: "out_of_stock", warehouses: [] });
  });

  it("answers a repeated SKU once", async () => {
    const res = await call(`/v1/shops/${SHOP}/availability?sku=LOW&sku=LOW&sku=LOW`);
    expect(((await res.json()) as Availability).items.map((i) => i.sku)).toEqual(["LOW"]);
  });
});

describe("limits", () => {
  it("answers up to 100 SKUs in one request", async () => {
    const skus = ["PLENTY", ...Array.from({ length: 99 }, (_, i) => `MISSING-${i}`)];
    const { res, items } = await availability(SHOP, skus);
    expect(res.status).toBe(200);
    expect([...items.keys()]).toEqual(["PLENTY"]);
  });

  it("refuses 101 SKUs, none, and malformed ones with 400 in the error shape", async () => {
    const many = Array.from({ length: 101 }, (_, i) => `sku=S${i}`).join("&");
    for (const query of [many, "", "sku=", "sku=has%20space", `sku=${"x".repeat(129)}`]) {
      const res = await call(`/v1/shops/${SHOP}/availability?${query}`);
      expect(res.status, query.slice(0, 40)).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: "validation_failed", message: expect.any(String) } });
    }
  });

  it("answers 404 for an unknown or malformed shop", async () => {
    for (const shop of ["no-such-shop", "UPPER", "a".repeat(65)]) {
      const res = await call(`/v1/shops/${shop}/availability?sku=A`);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: "shop_not_found" } });
    }
  });
});

describe("micro-cache", () => {
  it("answers repeats from this isolate's memory with the same body, granting CORS only to the shop's origins", async () => {
    const first = await availability(SHOP, ["ATP", "LOW"]);
    expect(first.res.headers.get("x-backroom-cache")).toBe("miss");
    const again = await availability(SHOP, ["LOW", "ATP", "LOW"]);
    expect(again.res.headers.get("x-backroom-cache")).toBe("memory");
    expect(again.res.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(again.res.headers.get("vary")).toMatch(/Origin/);
    expect([...again.items.values()]).toEqual([...first.items.values()]);
    const foreign = await call(`/v1/shops/${SHOP}/availability?sku=ATP&sku=LOW`, { headers: { origin: "https://evil.example" } });
    expect(foreign.headers.get("x-backroom-cache")).toBe("memory");
    expect(foreign.headers.get("access-control-allow-origin")).toBeNull();
    // Another shop's identical question is its own.
    const other = await call(`/v1/shops/atp-threshold/availability?sku=ATP&sku=LOW`);
    expect(other.headers.get("x-backroom-cache")).not.toBe("memory");
  });

  it("forgets this isolate's memory of a shop when its stock changes", async () => {
    await availability(SHOP, ["PLENTY", "EDGE"]);
    expect((await availability(SHOP, ["PLENTY", "EDGE"])).res.headers.get("x-backroom-cache")).toBe("memory");
    await pushOk(SHOP, secret, "stock", { items: [{ sku: "UNRELATED", warehouse: "BER", onHand: 1, version: 1 }] });
    expect((await availability(SHOP, ["PLENTY", "EDGE"])).res.headers.get("x-backroom-cache")).not.toBe("memory");
  });

  it("never serves an answer older than its freshness plus a refresh: a push shows within a few seconds", async () => {
    const seconds = Number(env.AVAILABILITY_CACHE_SECONDS);
    await pushOk(SHOP, secret, "stock", { items: [{ sku: "FRESH", warehouse: "BER", onHand: 1, version: 1 }] });
    expect((await availability(SHOP, ["FRESH"])).items.get("FRESH")?.available).toBe(1);
    await pushOk(SHOP, secret, "stock", { items: [{ sku: "FRESH", warehouse: "BER", onHand: 50, version: 2 }] });
    // This isolate forgot its memory of the shop at the push; only a Cache API entry (≤ TTL old) may still answer 1.
    expect([1, 50]).toContain((await availability(SHOP, ["FRESH"])).items.get("FRESH")?.available);
    await new Promise((r) => setTimeout(r, seconds * 1000 + 200));
    // The first caller after expiry refreshes (from the pool, or a Cache API entry no older than the TTL).
    const deadline = Date.now() + seconds * 1000 + 500;
    let seen = 1;
    while (seen !== 50 && Date.now() < deadline) {
      seen = (await availability(SHOP, ["FRESH"])).items.get("FRESH")?.available ?? -1;
      if (seen !== 50) await new Promise((r) => setTimeout(r, 100));
    }
    expect(seen).toBe(50);
  }, 15_000);

  it("stores an answer in the Cache API at its SKU set's second miss, not its first (most SKU sets are asked once)", async () => {
    const entry = () => caches.default.match(availabilityCacheKey(availabilityScope(SHOP, undefined), ["NEGATIVE"]));
    const first = await availability(SHOP, ["NEGATIVE"]);
    expect(first.res.headers.get("x-backroom-cache")).toBe("miss");
    await new Promise((r) => setTimeout(r, 100));
    expect(await entry()).toBeUndefined();
    forgetAvailability(SHOP); // as another isolate: nothing in memory
    expect((await availability(SHOP, ["NEGATIVE"])).res.headers.get("x-backroom-cache")).toBe("miss");
    let stored = await entry();
    for (let i = 0; i < 20 && stored === undefined; i++) {
      await new Promise((r) => setTimeout(r, 50));
      stored = await entry();
    }
    expect(stored).toBeDefined();
    forgetAvailability(SHOP);
    const third = await availability(SHOP, ["NEGATIVE"]);
    expect(third.res.headers.get("x-backroom-cache")).toBe("hit");
    expect([...third.items.values()]).toEqual([...first.items.values()]);
  });

  it("serves a repeat read from a cache, marked public for a few seconds", async () => {
    const first = await availability(SHOP, ["EDGE", "LOW"]);
    const second = await availability(SHOP, ["LOW", "EDGE"]);
    expect(first.res.headers.get("cache-control")).toMatch(/^public, max-age=\d+$/);
    expect(["hit", "memory"]).toContain(second.res.headers.get("x-backroom-cache"));
    expect([...second.items.values()]).toEqual([...first.items.values()]);
  });
});
