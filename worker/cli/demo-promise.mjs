/**
 * The promise's demo products (issue 12), pushed by the seed after the rest of the catalogue, with the
 * same fixed version so a re-seed is stale: a kit sold as one SKU and stocked as its components, and a
 * product counted in bars but sold in cases of 12 (at least 2 cases).
 */
import { DEMO_VERSION } from "./demo-data.mjs";

const daysFrom = (now, days) => new Date(now + days * 86_400_000).toISOString().slice(0, 10);

export function promiseProducts() {
  return [
    {
      sku: "STARTER-KIT",
      name: "Starter kit (hoodie L + 2 sticker sets)",
      cost: "16.30",
      currency: "EUR",
      components: [
        { sku: "HOODIE-L", qty: 1 },
        { sku: "STICKER-SET", qty: 2 },
      ],
      version: DEMO_VERSION,
    },
    {
      sku: "SOAP-BAR",
      name: "Olive soap bar (case of 12)",
      cost: "0.90",
      currency: "EUR",
      salesUnit: { name: "case", factor: "12" },
      quantityRule: { min: "2", increment: "1" },
      version: DEMO_VERSION,
    },
  ];
}

/** The case pack's own stock (in bars), with a purchase order on the way; the kit has none: its components do. */
export function promiseStock(now = Date.now()) {
  return [
    { sku: "SOAP-BAR", warehouse: "BER", onHand: 40, incoming: [{ qty: 120, eta: daysFrom(now, 9), ref: "PO-4920" }], version: DEMO_VERSION },
    { sku: "SOAP-BAR", warehouse: "HAM", onHand: 15, version: DEMO_VERSION },
  ];
}
