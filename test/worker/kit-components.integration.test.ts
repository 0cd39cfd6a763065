import { beforeAll, describe, expect, it } from "vitest";
import { kitsContaining } from "../../worker/db/product-sales";
import { createShop, poolDb, pushOk } from "./helpers";

/**
 * Which kits take a component (migration 0025 `kit_components`, kept by triggers on product_sales):
 * a component's stock change re-publishes exactly the kits built from it, as the ERP defines them now.
 */

const SHOP = "kit-index";
const db = poolDb(SHOP);
let secret = "";
const product = (sku: string, version: number, components?: Array<{ sku: string; qty: number }>) => ({
  sku,
  name: sku,
  version,
  ...(components ? { components } : {}),
});

beforeAll(async () => {
  secret = (await createShop(SHOP)).erpSecret;
  await pushOk(SHOP, secret, "products", {
    products: [
      product("CUP", 1),
      product("LID", 1),
      product("SAUCER", 1),
      product("SET", 1, [
        { sku: "CUP", qty: 2 },
        { sku: "LID", qty: 1 },
      ]),
    ],
  });
});

describe("kits containing a component", () => {
  it("finds the kit from each of its components, and nothing from a SKU no kit takes", async () => {
    expect(await kitsContaining(db, SHOP, ["CUP"])).toEqual(["SET"]);
    expect(await kitsContaining(db, SHOP, ["LID", "CUP"])).toEqual(["SET"]);
    expect(await kitsContaining(db, SHOP, ["SAUCER"])).toEqual([]);
  });

  it("follows the ERP when a kit's components change, and when it stops being a kit", async () => {
    await pushOk(SHOP, secret, "products", {
      products: [
        product("SET", 2, [
          { sku: "CUP", qty: 2 },
          { sku: "SAUCER", qty: 1 },
        ]),
      ],
    });
    expect(await kitsContaining(db, SHOP, ["LID"])).toEqual([]);
    expect(await kitsContaining(db, SHOP, ["SAUCER"])).toEqual(["SET"]);
    expect(await kitsContaining(db, SHOP, ["CUP"])).toEqual(["SET"]);

    await pushOk(SHOP, secret, "products", { products: [product("SET", 3)] });
    expect(await kitsContaining(db, SHOP, ["CUP", "SAUCER", "LID"])).toEqual([]);
  });

  it("stays right under a writer that updates product_sales in place", async () => {
    await pushOk(SHOP, secret, "products", { products: [product("SET", 4, [{ sku: "LID", qty: 1 }])] });
    await db
      .prepare("UPDATE product_sales SET components = ? WHERE shop_id = ? AND sku = 'SET'")
      .bind(JSON.stringify([{ sku: "SAUCER", qty: 1 }]), SHOP)
      .run();
    expect(await kitsContaining(db, SHOP, ["LID"])).toEqual([]);
    expect(await kitsContaining(db, SHOP, ["SAUCER"])).toEqual(["SET"]);
  });

  it("an older version of the kit changes nothing", async () => {
    await pushOk(SHOP, secret, "products", { products: [product("SET", 5, [{ sku: "LID", qty: 3 }])] });
    await pushOk(SHOP, secret, "products", { products: [product("SET", 2, [{ sku: "CUP", qty: 1 }])] });
    expect(await kitsContaining(db, SHOP, ["CUP"])).toEqual([]);
    expect(await kitsContaining(db, SHOP, ["LID"])).toEqual(["SET"]);
  });
});
