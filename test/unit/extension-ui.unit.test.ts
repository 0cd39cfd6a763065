import { describe, expect, it } from "vitest";
import { erpLink } from "../../extension/lib/erp-links";
import { orderPageUrl, platformOfAdmin } from "../../extension/lib/pages";
import { orderBadge } from "../../extension/lib/ui/badge";
import { ago, eventLabel } from "../../extension/lib/ui/format";
import { margin, parsePrice } from "../../extension/lib/ui/margin";
import { draftProblems } from "../../extension/lib/ui/options-page";

describe("margin at a price", () => {
  it.each([
    ["19.90", "4.20", { amount: "15.70", percent: "78.9" }],
    ["12.00", "4.20", { amount: "7.80", percent: "65.0" }],
    ["10", "12.5", { amount: "-2.50", percent: "-25.0" }],
    ["0.10", "0.0333", { amount: "0.07", percent: "66.7" }],
  ])("price %s, cost %s → %o, in exact decimals", (price, cost, expected) => {
    expect(margin(price, cost)).toEqual(expected);
  });
  it("has no margin at a zero or unreadable price", () => {
    expect(margin("0", "1")).toBeUndefined();
    expect(margin("abc", "1")).toBeUndefined();
  });
  it.each([
    ["19.90", "19.90"],
    ["19,90", "19.90"],
    ["€ 1.299,00", "1299.00"],
    ["1,299.00", "1299.00"],
    ["20", "20.00"],
    ["", undefined],
    ["free", undefined],
  ])("reads the admin's price field %j as %j", (text, expected) => {
    expect(parsePrice(text)).toBe(expected);
  });
});

describe("links and words staff see", () => {
  it.each([
    ["https://admin.shopify.com/store/acme", "shopify", "https://admin.shopify.com/store/acme/orders/5002"],
    ["https://shop.example/wp-admin", "woocommerce", "https://shop.example/wp-admin/post.php?post=5002&action=edit"],
    ["https://store-abc.mybigcommerce.com/manage", "bigcommerce", "https://store-abc.mybigcommerce.com/manage/orders/5002"],
    ["https://shop.example/admin_x1", "magento", "https://shop.example/admin_x1/sales/order/view/order_id/5002/"],
  ])("an order of %s (%s) links to %s", (admin, platform, url) => {
    expect(platformOfAdmin(admin)).toBe(platform);
    expect(orderPageUrl(admin, "5002")).toBe(url);
  });

  it("links ERPNext records by name; Odoo (numeric ids the edge does not hold) gets no link rather than a wrong one", () => {
    const erpnext = { kind: "erpnext" as const, url: "https://erp.example" };
    expect(erpLink(erpnext, { type: "salesOrder", name: "SAL-ORD-2026-00042" })).toBe("https://erp.example/app/sales-order/SAL-ORD-2026-00042");
    expect(erpLink(erpnext, { type: "item", sku: "TEE M/1" })).toBe("https://erp.example/app/item/TEE%20M%2F1");
    expect(erpLink(erpnext, { type: "purchaseOrder", name: "PUR-ORD-1" })).toBe("https://erp.example/app/purchase-order/PUR-ORD-1");
    // Odoo addresses records by id: without the id the ERP sent, no link rather than a wrong one.
    const odoo = { kind: "odoo" as const, url: "https://odoo.example" };
    expect(erpLink(odoo, { type: "item", sku: "TEE-M" })).toBeUndefined();
    expect(erpLink(odoo, { type: "item", sku: "TEE-M", erpId: "not-an-id" })).toBeUndefined();
    // The /web# form URL opens in Odoo 16, 17 and 18 (17.2+ redirects it to /odoo/...).
    expect(erpLink(odoo, { type: "item", sku: "TEE-M", erpId: "7" })).toBe("https://odoo.example/web#model=product.product&id=7&view_type=form");
    expect(erpLink(odoo, { type: "salesOrder", name: "S00042", erpId: "42" })).toBe("https://odoo.example/web#model=sale.order&id=42&view_type=form");
    expect(erpLink(odoo, { type: "purchaseOrder", name: "WH/IN/00005", erpId: "19" })).toBe(
      "https://odoo.example/web#model=stock.picking&id=19&view_type=form",
    );
    expect(erpLink(undefined, { type: "item", sku: "TEE-M" })).toBeUndefined();
  });

  it("never shows a wire event name", () => {
    expect(["order.created", "order.updated", "order.cancelled", "fulfilment", "order.refunded"].map(eventLabel)).toEqual([
      "New order",
      "Order change",
      "Cancellation",
      "Tracking to the shop",
      "order refunded",
    ]);
  });

  it("says how long ago in words", () => {
    const now = Date.parse("2026-11-29T12:00:00Z");
    expect([now, now - 12_000, now - 180_000, now - 7_200_000].map((t) => ago(t, now))).toEqual(["just now", "12 s ago", "3 min ago", "2 h ago"]);
  });

  it("an order whose delivery failed is red, one retrying amber, whatever its ERP status says", () => {
    const base = { asked: "5002", by: "ref" as const, orderRef: "5002", status: "received" as const, updatedAt: "2026-11-29T12:00:00Z" };
    expect(orderBadge({ ...base, delivery: "failed" })).toMatchObject({ label: "ERP: delivery failed", tone: "failed" });
    expect(orderBadge({ ...base, delivery: "retrying" })).toMatchObject({ label: "ERP: retrying", tone: "retrying" });
    expect(orderBadge({ ...base, delivery: "delivered" })).toMatchObject({ label: "ERP: received", tone: "received" });
  });

  it("names the form's fields as the form does in its messages", () => {
    expect(
      draftProblems([
        { path: ["edgeUrl"], message: "Invalid URL" },
        { path: ["adminUrl"], message: "Invalid URL" },
      ]),
    ).toBe("Check Edge URL, Admin URLs: Invalid URL");
  });
});
