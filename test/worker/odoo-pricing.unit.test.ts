import { describe, expect, it } from "vitest";
import { mapOrder } from "../../worker/connectors/odoo/map";
import { shopOrderRef } from "../../worker/connectors/odoo/order-ref";
import { breaksOf, type PriceRule, type PricingProduct, priceAt, rulesByList } from "../../worker/connectors/odoo/pricing";

const rule = (r: Partial<PriceRule> & Pick<PriceRule, "id" | "list">): PriceRule => ({
  appliedOn: "3_global",
  categName: "",
  minQty: 0,
  compute: "fixed",
  fixed: 0,
  percent: 0,
  base: "list_price",
  discount: 0,
  markup: 0,
  surcharge: 0,
  round: 0,
  minMargin: 0,
  maxMargin: 0,
  ...r,
});
const chair: PricingProduct = { id: 7, sku: "CHAIR", tmplId: 70, categories: new Set([12, 2, 1]), listPrice: 100, cost: 40 };
const NOW = "2026-11-30 12:00:00";

describe("Odoo's pricelist rule order (product.pricelist.item._order) and first match", () => {
  it("variant before product before category before global, the higher minimum quantity first, a sub-category before its parent", () => {
    const lists = rulesByList(
      [
        rule({ id: 1, list: 1, compute: "percentage", percent: 50 }),
        rule({ id: 2, list: 1, appliedOn: "2_product_category", categId: 1, categName: "All", compute: "fixed", fixed: 90 }),
        rule({ id: 3, list: 1, appliedOn: "2_product_category", categId: 12, categName: "All / Saleable / Chairs", compute: "fixed", fixed: 80 }),
        rule({ id: 4, list: 1, appliedOn: "1_product", tmplId: 70, minQty: 10, compute: "fixed", fixed: 70 }),
        rule({ id: 5, list: 1, appliedOn: "0_product_variant", productId: 7, minQty: 20, compute: "fixed", fixed: 60 }),
        rule({ id: 6, list: 1, appliedOn: "0_product_variant", productId: 8, compute: "fixed", fixed: 1 }),
      ],
      NOW,
    );
    expect([1, 10, 20].map((q) => priceAt(lists, 1, chair, q))).toEqual([80, 70, 60]);
    expect(breaksOf(lists, 1, chair)).toEqual([
      { minQty: 1, price: 80 },
      { minQty: 10, price: 70 },
      { minQty: 20, price: 60 },
    ]);
  });

  it("a rule outside its dates does not apply; no rule means the sales price; lists based on each other are refused", () => {
    const lists = rulesByList(
      [
        rule({ id: 1, list: 1, appliedOn: "0_product_variant", productId: 7, compute: "fixed", fixed: 10, dateEnd: "2026-11-01 00:00:00" }),
        rule({ id: 2, list: 1, minQty: 5, compute: "formula", base: "pricelist", baseList: 2, discount: 10 }),
        rule({ id: 3, list: 2, compute: "formula", base: "standard_price", discount: -50, maxMargin: 15 }),
        rule({ id: 4, list: 3, base: "pricelist", baseList: 4, compute: "percentage", percent: 1 }),
        rule({ id: 5, list: 4, base: "pricelist", baseList: 3, compute: "percentage", percent: 1 }),
      ],
      NOW,
    );
    // Cost 40 + 50 % = 60, at most cost + 15 = 55; list 1 takes 10 % off from 5.
    expect(breaksOf(lists, 1, chair)).toEqual([
      { minQty: 1, price: 100 },
      { minQty: 5, price: 49.5 },
    ]);
    expect(() => priceAt(lists, 3, chair, 1)).toThrow(/3 → 4 → 3/);
  });
});

describe("a sale order replaced after a refused edit", () => {
  it("is no longer the shop order's: the pull reads the replacement's status only", () => {
    const old = { id: 1, name: "S00001", state: "cancel", origin: "backroom-replaced:9001", client_order_ref: "#9001" };
    expect(shopOrderRef(old)).toBeUndefined();
    expect(shopOrderRef({ id: 2, name: "S00002", state: "sale", origin: "backroom:9001", client_order_ref: "#9001" })).toBe("9001");
    expect(mapOrder({ id: 2, name: "S00002", state: "sale", origin: "backroom:9001" }, [], new Map(), 1)).toMatchObject({
      ok: true,
      row: { orderRef: "9001" },
    });
  });
});
