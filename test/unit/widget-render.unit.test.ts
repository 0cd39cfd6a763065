// @vitest-environment happy-dom
import { render } from "preact";
import { afterEach, describe, expect, it } from "vitest";
import { formatter } from "../../widget/src/format";
import { PriceView } from "../../widget/src/more/price";
import { TrackingView } from "../../widget/src/more/tracking";
import { AvailabilityView } from "../../widget/src/view/availability";
import type { AvailabilityItem, CustomerPrices } from "../../worker/contract";

const NOW = Date.parse("2026-03-01T12:00:08Z");
const item = (over: Partial<AvailabilityItem> = {}): AvailabilityItem => ({
  sku: "TEE-M",
  available: 3,
  status: "low_stock",
  warehouses: [
    { code: "BER", name: "Berlin", available: 1 },
    { code: "HAM", name: "Hamburg", available: 2 },
  ],
  nextArrival: { qty: 20, eta: "2026-03-14" },
  updatedAt: "2026-03-01T12:00:00Z",
  ...over,
});

let root: HTMLElement;
const draw = (vnode: preact.VNode | null): HTMLElement => {
  root = document.createElement("div");
  document.body.append(root);
  render(vnode, root);
  return root;
};
afterEach(() => {
  render(null, root);
  root.remove();
});

describe("AvailabilityView", () => {
  it.each([
    ["en-GB", "Only 3 left", "20 more on 14 March", "Updated 8 seconds ago"],
    ["de-DE", "Nur noch 3 verfügbar", "20 weitere am 14. März", "Aktualisiert vor 8 Sekunden"],
    ["fr-FR", "Plus que 3", "20 de plus le 14 mars", "Mis à jour il y a 8 secondes"],
  ])("%s: status, next arrival with date, freshness", (locale, status, arrival, updated) => {
    const el = draw(AvailabilityView({ item: item(), fmt: formatter(locale), now: NOW, open: false, toggle: () => {} }));
    expect(el.querySelector("[data-status]")?.textContent).toBe(status);
    expect(el.querySelector("[data-arrival]")?.textContent).toBe(arrival);
    expect(el.querySelector(".m")?.textContent).toBe(updated);
    expect(el.querySelector("[aria-live=polite]")).not.toBeNull();
    expect(el.querySelector("ul")).toBeNull();
  });

  it.each([
    ["in_stock", "In stock"],
    ["out_of_stock", "Out of stock"],
    ["backorder", "Available to order"],
  ] as const)("%s badge", (status, text) => {
    const el = draw(AvailabilityView({ item: item({ status, nextArrival: undefined }), fmt: formatter("en"), now: NOW, open: false, toggle: () => {} }));
    expect(el.querySelector(`.s.${status}`)?.textContent).toBe(text);
    expect(el.querySelector("[data-arrival]")).toBeNull();
  });

  it("lists warehouses when open, with locale-formatted numbers; the toggle says whether it is open", () => {
    let toggled = 0;
    const big = item({ available: 12_500, status: "in_stock", warehouses: [{ code: "BER", name: "Berlin", available: 12_500 }] });
    const el = draw(AvailabilityView({ item: big, fmt: formatter("de-DE"), now: NOW, open: true, toggle: () => toggled++ }));
    expect([...el.querySelectorAll("li")].map((li) => li.textContent)).toEqual(["Berlin: 12.500"]);
    const button = el.querySelector("button");
    expect(button?.getAttribute("aria-expanded")).toBe("true");
    button?.click();
    expect(toggled).toBe(1);
  });

  it("renders ERP strings as text, never as markup", () => {
    const evil = '<img src=x onerror="window.pwned=1">';
    const el = draw(
      AvailabilityView({ item: item({ warehouses: [{ code: "X", name: evil, available: 1 }] }), fmt: formatter("en"), now: NOW, open: true, toggle: () => {} }),
    );
    expect(el.querySelector("img")).toBeNull();
    expect(el.querySelector("li")?.textContent).toBe(`${evil}: 1`);
  });

  it("keeps its reserved box but shows nothing for a SKU the edge does not know", () => {
    const el = draw(AvailabilityView({ item: undefined, fmt: formatter("en"), now: NOW, open: false, toggle: () => {} }));
    expect(el.querySelector(".b")?.textContent).toBe("");
  });
});

describe("PriceView", () => {
  const prices: CustomerPrices = {
    currency: "EUR",
    customer: { company: "ACME <b>GmbH</b>", paymentTerms: "Net 30" },
    items: [
      {
        sku: "TEE-M",
        unitPrice: "12.40",
        breaks: [
          { minQty: 1, unitPrice: "12.40" },
          { minQty: 10, unitPrice: "11.20" },
          { minQty: 50, unitPrice: "9.95" },
        ],
      },
    ],
  };

  it("shows the buyer's unit price, quantity breaks and terms in the shop's currency", () => {
    const el = draw(PriceView({ prices, sku: "TEE-M", fmt: formatter("de-DE") }));
    expect([...el.querySelectorAll(".p > div")].map((d) => d.textContent?.replace(/\s/g, " "))).toEqual([
      "Ihr Preis: 12,40 €",
      "ab 10: 11,20 € · ab 50: 9,95 €",
      "ACME <b>GmbH</b> · Zahlungsbedingungen: Net 30",
    ]);
    expect(el.querySelector("b")).toBeNull();
  });

  it("formats sub-cent unit prices without rounding them away", () => {
    const tiny = { ...prices, currency: "USD", items: [{ sku: "SCREW", unitPrice: "0.0125", breaks: [] }] };
    expect(draw(PriceView({ prices: tiny, sku: "SCREW", fmt: formatter("en-US") })).querySelector("strong")?.textContent).toBe("$0.0125");
  });

  it.each([
    ["no prices (no or invalid token)", undefined, "TEE-M"],
    ["no price for this SKU", prices, "OTHER"],
    ["no SKU selected", prices, undefined],
  ])("shows nothing at all with %s", (_name, p, sku) => {
    expect(draw(PriceView({ prices: p, sku, fmt: formatter("en") })).innerHTML).toBe("");
  });
});

describe("TrackingView", () => {
  it("submits the trimmed form values", () => {
    const calls: string[][] = [];
    const el = draw(TrackingView({ fmt: formatter("en"), result: undefined, busy: false, submit: (o, e) => calls.push([o, e]) }));
    const form = el.querySelector("form");
    (el.querySelector('input[name="order"]') as HTMLInputElement).value = "#1001";
    (el.querySelector('input[name="email"]') as HTMLInputElement).value = "anna@example.com";
    form?.dispatchEvent(new Event("submit", { cancelable: true, bubbles: true }));
    expect(calls).toEqual([["#1001", "anna@example.com"]]);
  });

  it("shows the timeline with translated statuses and only http(s) carrier links", () => {
    const el = draw(
      TrackingView({
        fmt: formatter("fr-FR"),
        busy: false,
        submit: () => {},
        result: {
          orderNumber: "#1001",
          status: "shipped",
          timeline: [
            { status: "confirmed", at: "2026-03-01T10:00:00Z" },
            { status: "shipped", at: "2026-03-02T10:00:00Z" },
          ],
          shipments: [
            { carrier: "DHL", trackingNumber: "3318810025", trackingUrl: "https://www.dhl.com/track?n=3318810025" },
            { carrier: "Evil", trackingNumber: "X1", trackingUrl: "javascript:alert(1)" },
          ],
        },
      }),
    );
    expect(el.querySelector("[data-status]")?.textContent).toBe("Expédiée");
    expect([...el.querySelectorAll("li")].map((li) => li.firstChild?.textContent)).toEqual(["Confirmée", "Expédiée"]);
    expect(el.querySelector('[data-shipment="3318810025"] a')?.getAttribute("href")).toBe("https://www.dhl.com/track?n=3318810025");
    expect(el.querySelector('[data-shipment="X1"] a')).toBeNull();
    expect(el.querySelector('[data-shipment="X1"]')?.textContent).toBe("Evil: X1");
  });

  it("says so when nothing matches", () => {
    expect(draw(TrackingView({ fmt: formatter("de"), result: "not_found", busy: false, submit: () => {} })).querySelector("[role=alert]")?.textContent).toBe(
      "Keine Bestellung mit dieser Nummer und E-Mail.",
    );
  });
});
