// @vitest-environment happy-dom
import { h, render } from "preact";
import { afterEach, describe, expect, it } from "vitest";
import { ProductPanel } from "../../extension/lib/ui/product-panel";
import type { StaffProduct } from "../../worker/contract";

/** Issue 9: the warehouse table shows free and forecast side by side, the one the shop sells by in bold. */

const warehouse = (code: string, over: Partial<StaffProduct["warehouses"][number]>): StaffProduct["warehouses"][number] => ({
  code,
  name: code,
  onHand: 10,
  committed: 2,
  reserved: 1,
  available: 7,
  free: 7,
  forecast: 7,
  incoming: [],
  updatedAt: "2026-03-01T12:00:00Z",
  ...over,
});
const product = (over: Partial<StaffProduct>): StaffProduct => ({
  sku: "DESK",
  aliases: [],
  backorder: false,
  safetyStock: 0,
  currency: "EUR",
  available: 12,
  status: "in_stock",
  availabilityMode: "free",
  warehouses: [
    warehouse("BER", { demand: 7, free: 7, forecast: 6 }),
    warehouse("HAM", { onHand: 6, committed: 1, reserved: 0, available: 5, free: 5, forecast: 9 }),
  ],
  priceLists: [],
  recentChanges: [],
  ...over,
});

let root: HTMLElement;
const draw = (p: StaffProduct): HTMLElement => {
  root = document.createElement("div");
  document.body.append(root);
  render(h(ProductPanel, { product: p, platform: "shopify" }), root);
  return root;
};
afterEach(() => {
  render(null, root);
  root.remove();
});

const column = (el: HTMLElement, field: string) =>
  [...el.querySelectorAll<HTMLElement>(`table tr[data-warehouse] td[data-field="${field}"]`)].map((td) => ({
    warehouse: td.closest("tr")?.dataset.warehouse,
    text: td.textContent,
    used: td.classList.contains("used"),
  }));

describe("the warehouse table's free and forecast", () => {
  it("shows both per warehouse and in total, free bold when the shop sells by free", () => {
    const el = draw(product({}));
    const heads = [...el.querySelectorAll("table.stock thead th")].map((th) => th.textContent?.replace(/\u00ad/g, ""));
    expect(heads).toEqual(["Warehouse", "On hand", "Committed", "Reserved", "Free", "Forecast", "Available"]);
    expect(column(el, "free")).toEqual([
      { warehouse: "BER", text: "7", used: true },
      { warehouse: "HAM", text: "5", used: true },
      { warehouse: "total", text: "12", used: true },
    ]);
    expect(column(el, "forecast")).toEqual([
      { warehouse: "BER", text: "6", used: false },
      { warehouse: "HAM", text: "9", used: false },
      { warehouse: "total", text: "15", used: false },
    ]);
    expect(el.querySelector('[data-field="availabilityMode"]')?.textContent).toMatch(/free stock/);
  });

  it("marks the forecast when the shop's connector sells by it", () => {
    const el = draw(product({ availabilityMode: "forecast" }));
    expect(column(el, "forecast").every((c) => c.used)).toBe(true);
    expect(column(el, "free").some((c) => c.used)).toBe(false);
    expect(el.querySelector('[data-field="availabilityMode"]')?.textContent).toMatch(/forecast before receipts/);
  });
});
