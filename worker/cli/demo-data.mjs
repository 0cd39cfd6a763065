/**
 * The demo shop's ERP data: what a small apparel wholesaler's ERP would push. Deterministic (same
 * data and versions every run), so seeding twice changes nothing the second time.
 */

/** Every record carries this version: a fixed ERP write time, so a re-seed is stale, not applied. */
export const DEMO_VERSION = 1_763_900_000_000;

/** An EAN-13 with its check digit, from a 12-digit base. */
function ean13(base12) {
  const digits = [...base12].map(Number);
  const sum = digits.reduce((s, d, i) => s + d * (i % 2 === 0 ? 1 : 3), 0);
  return `${base12}${(10 - (sum % 10)) % 10}`;
}

/** A small deterministic PRNG, so quantities look organic yet never change between runs. */
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const daysFrom = (base, n) => new Date(base + n * 86_400_000).toISOString().slice(0, 10);

export const warehouses = [
  { code: "BER", name: "Berlin", country: "DE", leadTimeDays: 1 },
  { code: "HAM", name: "Hamburg", country: "DE", leadTimeDays: 2 },
  { code: "VIE", name: "Vienna", country: "AT", leadTimeDays: 3 },
];

const SIMPLE = [
  ["SOCK-MERINO", "Merino socks", "3.10"],
  ["SOCK-COTTON", "Cotton socks 3-pack", "2.40"],
  ["CAP-WOOL", "Wool cap", "6.80"],
  ["CAP-BASEBALL", "Baseball cap", "4.90"],
  ["BEANIE-RIB", "Rib beanie", "5.20"],
  ["SCARF-LINEN", "Linen scarf", "9.70"],
  ["TOTE-CANVAS", "Canvas tote", "3.60"],
  ["BAG-DUFFEL", "Duffel bag", "21.00"],
  ["BELT-LEATHER", "Leather belt", "12.40"],
  ["GLOVES-KNIT", "Knit gloves", "4.30"],
  ["APRON-DENIM", "Denim apron", "8.90"],
  ["BOTTLE-STEEL", "Steel bottle 0.75 l", "5.70"],
  ["NOTEBOOK-A5", "Notebook A5", "1.90"],
  ["PEN-BRASS", "Brass pen", "7.20"],
  ["KEYRING-CORK", "Cork keyring", "0.80"],
  ["PATCH-LOGO", "Embroidered patch", "0.60"],
  ["PIN-ENAMEL", "Enamel pin", "0.90"],
  ["UMBRELLA-FOLD", "Folding umbrella", "8.10"],
  ["BLANKET-WOOL", "Wool blanket", "34.00"],
  ["TOWEL-LINEN", "Linen towel", "6.30"],
  ["SHORTS-CHINO", "Chino shorts", "11.20"],
  ["SHIRT-OXFORD", "Oxford shirt", "14.80"],
  ["JACKET-RAIN", "Rain jacket", "29.50"],
  ["VEST-FLEECE", "Fleece vest", "16.40"],
  ["POLO-PIQUE", "Pique polo", "9.90"],
  ["SWEAT-CREW", "Crew sweatshirt", "13.60"],
  ["JOGGER-TERRY", "Terry joggers", "12.90"],
  ["LANYARD-WOVEN", "Woven lanyard", "0.70"],
  ["STICKER-SET", "Sticker set", "0.40"],
  ["CANDLE-SOY", "Soy candle", "3.90"],
];

export function products() {
  const out = [];
  let n = 0;
  for (const size of ["S", "M", "L", "XL"]) {
    for (const [color, colorName] of [
      ["BLK", "Black"],
      ["WHT", "White"],
    ]) {
      out.push({
        sku: `TEE-ORG-${size}-${color}`,
        name: `Organic tee ${size} / ${colorName}`,
        gtin: ean13(`400638133${String(++n).padStart(3, "0")}`),
        cost: "4.20",
        currency: "EUR",
        aliases: [`tee-${size.toLowerCase()}-${colorName.toLowerCase()}`],
        version: DEMO_VERSION,
      });
    }
  }
  out.push({ sku: "MUG-ENAMEL", name: "Enamel mug", gtin: ean13("400638134001"), cost: "2.10", currency: "EUR", backorder: true, version: DEMO_VERSION });
  for (const size of ["S", "M", "L"]) {
    out.push({
      sku: `HOODIE-${size}`,
      name: `Heavy hoodie ${size}`,
      gtin: ean13(`40063813500${size === "S" ? 1 : size === "M" ? 2 : 3}`),
      cost: "15.50",
      currency: "EUR",
      safetyStock: 1,
      version: DEMO_VERSION,
    });
  }
  SIMPLE.forEach(([sku, name, cost], i) => {
    out.push({ sku, name, gtin: ean13(`4006381360${String(i).padStart(2, "0")}`), cost, currency: "EUR", version: DEMO_VERSION });
  });
  return out;
}

/** Stock per SKU and warehouse, with incoming purchase orders due in the coming weeks. */
export function stock(now = Date.now()) {
  const random = rng(42);
  const items = [];
  for (const p of products()) {
    for (const w of warehouses) {
      let onHand = Math.floor(random() * 60);
      let committed = Math.floor(random() * 4);
      const incoming =
        random() < 0.3 ? [{ qty: 10 + Math.floor(random() * 40), eta: daysFrom(now, 5 + Math.floor(random() * 30)), ref: `PO-${4100 + items.length}` }] : [];
      if (p.sku === "MUG-ENAMEL") {
        onHand = 0;
        committed = 0;
        if (w.code === "BER") incoming.splice(0, 1, { qty: 20, eta: daysFrom(now, 12), ref: "PO-4711" });
      }
      if (p.sku === "HOODIE-M") {
        onHand = w.code === "BER" ? 4 : 0;
        committed = w.code === "BER" ? 1 : 0;
      }
      if (p.sku === "TEE-ORG-XL-WHT") {
        onHand = 0;
        committed = 0;
      }
      items.push({ sku: p.sku, warehouse: w.code, onHand, committed, incoming, version: DEMO_VERSION });
    }
  }
  return items;
}

/**
 * The demo's second storefront: a WooCommerce-shaped B2B portal selling the same stock as `demo`
 * (the pool's root, the B2C shop). It sells from Berlin and Hamburg only and never the last 10 % of
 * a SKU's stock there; it has the B2B price lists and customers.
 */
export const b2bChannel = {
  shop: {
    id: "demo-b2b",
    name: "Backroom Demo Trade (B2B)",
    platform: "woocommerce",
    currency: "EUR",
    locale: "de-DE",
    lowStockThreshold: 10,
  },
  rules: { warehouses: ["BER", "HAM"], buffer: { percent: 10 }, cap: null },
};

export const priceLists = [
  { id: "B2B-GOLD", name: "Wholesale Gold", currency: "EUR" },
  { id: "B2B-SILVER", name: "Wholesale Silver", currency: "EUR" },
];

/** Quantity breaks at 1 / 10 / 50 for every product, Gold below Silver. */
export function prices() {
  const out = [];
  for (const p of products()) {
    const cost = Number(p.cost);
    for (const [list, markup] of [
      ["B2B-GOLD", 1.6],
      ["B2B-SILVER", 1.8],
    ]) {
      for (const [minQty, discount] of [
        [1, 1],
        [10, 0.93],
        [50, 0.85],
      ]) {
        // Cents computed as integers, then written as a decimal string: no float reaches the edge.
        const cents = Math.round(cost * 100 * markup * discount);
        out.push({ list, sku: p.sku, minQty, unitPrice: `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`, version: DEMO_VERSION });
      }
    }
  }
  return out;
}

export const customers = [
  {
    id: "CUST-ACME",
    email: "buyer@acme.example",
    company: "ACME Outfitters GmbH",
    priceList: "B2B-GOLD",
    paymentTerms: "Net 30",
    creditLimit: "5000.00",
    balance: "1200.50",
    version: DEMO_VERSION,
  },
  {
    id: "CUST-BOLT",
    email: "orders@bolt.example",
    company: "Bolt Workwear AG",
    priceList: "B2B-SILVER",
    paymentTerms: "Net 14",
    creditLimit: "2000.00",
    balance: "0.00",
    version: DEMO_VERSION,
  },
];

export function orders(now = Date.now()) {
  const at = (daysAgo) => new Date(now - daysAgo * 86_400_000).toISOString();
  return [
    { orderRef: "5001001", orderNumber: "#1001", email: "anna@example.com", erpRef: "SO-20417", status: "received", at: at(4), version: DEMO_VERSION + 1 },
    { orderRef: "5001001", orderNumber: "#1001", email: "anna@example.com", erpRef: "SO-20417", status: "confirmed", at: at(3.9), version: DEMO_VERSION + 2 },
    { orderRef: "5001001", orderNumber: "#1001", email: "anna@example.com", erpRef: "SO-20417", status: "packed", at: at(3), version: DEMO_VERSION + 3 },
    {
      orderRef: "5001001",
      orderNumber: "#1001",
      email: "anna@example.com",
      erpRef: "SO-20417",
      status: "shipped",
      shipments: [{ carrier: "DHL", trackingNumber: "3318810025", shippedAt: at(2.5), items: [{ sku: "TEE-ORG-M-BLK", qty: 2 }] }],
      at: at(2.5),
      version: DEMO_VERSION + 4,
    },
    { orderRef: "5001002", orderNumber: "#1002", email: "ben@example.com", erpRef: "SO-20418", status: "received", at: at(1), version: DEMO_VERSION + 1 },
    { orderRef: "5001002", orderNumber: "#1002", email: "ben@example.com", erpRef: "SO-20418", status: "confirmed", at: at(0.9), version: DEMO_VERSION + 2 },
    { orderRef: "5001003", orderNumber: "#1003", email: "carla@example.com", erpRef: "SO-20380", status: "received", at: at(9), version: DEMO_VERSION + 1 },
    {
      orderRef: "5001003",
      orderNumber: "#1003",
      email: "carla@example.com",
      erpRef: "SO-20380",
      status: "shipped",
      shipments: [{ carrier: "UPS", trackingNumber: "1Z5R89390357567127", shippedAt: at(7) }],
      at: at(7),
      version: DEMO_VERSION + 2,
    },
    {
      orderRef: "5001003",
      orderNumber: "#1003",
      email: "carla@example.com",
      erpRef: "SO-20380",
      status: "delivered",
      shipments: [{ carrier: "UPS", trackingNumber: "1Z5R89390357567127", shippedAt: at(7) }],
      at: at(5),
      version: DEMO_VERSION + 3,
    },
    { orderRef: "5001004", orderNumber: "#1004", email: "dan@example.com", status: "received", at: at(2), version: DEMO_VERSION + 1 },
    { orderRef: "5001004", orderNumber: "#1004", email: "dan@example.com", status: "cancelled", at: at(1.5), version: DEMO_VERSION + 2 },
  ];
}
