// @vitest-environment happy-dom
import { h, render } from "preact";
import { afterEach, describe, expect, it } from "vitest";
import { OrderAccount } from "../../extension/lib/ui/order-account";
import type { StaffOrder } from "../../worker/contract";

/** Issue 13: the order panel shows the order's invoices (overdue in red) and returns with the ERP's status. */

const order = (over: Partial<StaffOrder>): StaffOrder => ({
  orderRef: "9001",
  status: "delivered",
  timeline: [],
  shipments: [],
  updatedAt: "2026-11-01T00:00:00Z",
  ...over,
});

let root: HTMLElement;
const show = (o: StaffOrder) => {
  root = document.createElement("div");
  document.body.append(root);
  render(h(OrderAccount, { order: o }), root);
  return root;
};
afterEach(() => {
  render(null, root);
  root.remove();
});

describe("order panel: invoices and returns", () => {
  it("lists each invoice with its status and open amount, overdue ones marked, and each return with its RMA and status", () => {
    const el = show(
      order({
        invoices: [
          {
            number: "INV-1",
            kind: "invoice",
            status: "partial",
            currency: "EUR",
            total: "100.00",
            openAmount: "60.50",
            dueAt: "2026-10-01T00:00:00Z",
            overdue: true,
          },
          { number: "CN-1", kind: "credit_note", status: "paid", currency: "EUR", total: "-10.00", openAmount: "0.00", overdue: false },
        ],
        returns: [{ returnRef: "ret_1", rmaNumber: "RMA-7", status: "approved", lines: [{ sku: "BOLT", qty: 2 }], requestedAt: "2026-10-05T00:00:00Z" }],
      }),
    );
    const inv = el.querySelector('[data-invoice="INV-1"]');
    expect(inv?.getAttribute("data-status")).toBe("partial");
    expect(inv?.querySelector('[data-field="open"]')?.className).toBe("bad");
    expect(inv?.textContent).toContain("open 60.50 EUR, overdue since");
    expect(el.querySelector('[data-invoice="CN-1"]')?.textContent).toMatch(/^Credit note CN-1/);
    expect(el.querySelector('[data-invoice="CN-1"] [data-field="open"]')).toBeNull();
    const ret = el.querySelector('[data-return="ret_1"]');
    expect(ret?.getAttribute("data-status")).toBe("approved");
    expect(ret?.textContent).toContain("RMA-7");
    expect(ret?.textContent).toContain("2 × BOLT");
  });

  it("shows nothing when the ERP pushed neither (or the edge is older)", () => {
    expect(show(order({})).innerHTML).toBe("");
    expect(show(order({ invoices: [], returns: [] })).innerHTML).toBe("");
  });
});
