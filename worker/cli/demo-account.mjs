import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { DEMO_VERSION } from "./demo-data.mjs";
import { textPdf } from "./lib/pdf.mjs";
import { signedHeaders } from "./lib/standard-webhooks.mjs";

/**
 * The demo B2B buyer's account (issue 13): CUST-ACME (buyer@acme.example) has three orders, three
 * invoices (the two open ones add up to the customer's balance of 1200.50; one is overdue) and a past
 * return. One invoice PDF is pushed by the ERP (PUT), the other is fetched from the demo ERP on the
 * first request. Kept apart from demo-data.mjs; pushed by `seedDemoAccount` after the main seed.
 */
export const DEMO_BUYER = { id: "CUST-ACME", email: "buyer@acme.example" };

const DAY = 86_400_000;

export function accountOrders(now = Date.now()) {
  const at = (days) => new Date(now - days * DAY).toISOString();
  const base = { email: DEMO_BUYER.email, version: DEMO_VERSION + 10 };
  return [
    {
      ...base,
      orderRef: "5002001",
      orderNumber: "#2001",
      erpRef: "SO-20301",
      status: "delivered",
      shipments: [
        {
          carrier: "DHL",
          trackingNumber: "3318810031",
          shippedAt: at(22),
          items: [
            { sku: "HOODIE-M", qty: 10 },
            { sku: "MUG-ENAMEL", qty: 24 },
            { sku: "SOCK-MERINO", qty: 30 },
          ],
        },
      ],
      at: at(20),
    },
    {
      ...base,
      orderRef: "5002002",
      orderNumber: "#2002",
      erpRef: "SO-20377",
      status: "shipped",
      shipments: [
        {
          carrier: "UPS",
          trackingNumber: "1Z5R89390357567131",
          shippedAt: at(3),
          items: [
            { sku: "TEE-ORG-M-BLK", qty: 20 },
            { sku: "CAP-WOOL", qty: 12 },
          ],
        },
      ],
      at: at(3),
    },
    {
      ...base,
      orderRef: "5002003",
      orderNumber: "#2003",
      erpRef: "SO-20112",
      status: "delivered",
      // TEE-CLASSIC-2024 is no longer sold: a reorder lists it as gone.
      shipments: [
        {
          carrier: "DHL",
          trackingNumber: "3318810019",
          shippedAt: at(47),
          items: [
            { sku: "TEE-CLASSIC-2024", qty: 5 },
            { sku: "TOTE-CANVAS", qty: 15 },
          ],
        },
      ],
      at: at(45),
    },
  ];
}

export function invoices(now = Date.now()) {
  const day = (days) => new Date(now + days * DAY).toISOString().slice(0, 10);
  const base = { customer: DEMO_BUYER.id, currency: "EUR", version: DEMO_VERSION + 10 };
  return [
    {
      ...base,
      number: "INV-2026-0088",
      orderRefs: ["5002003"],
      issuedAt: day(-45),
      dueAt: day(-15),
      total: "310.00",
      openAmount: "0.00",
      status: "paid",
      pdf: false,
    },
    {
      ...base,
      number: "INV-2026-0112",
      orderRefs: ["5002001"],
      issuedAt: day(-40),
      dueAt: day(-10),
      total: "1020.50",
      openAmount: "820.50",
      status: "partial",
      pdf: true,
    },
    {
      ...base,
      number: "INV-2026-0131",
      orderRefs: ["5002002"],
      issuedAt: day(-3),
      dueAt: day(27),
      total: "380.00",
      openAmount: "380.00",
      status: "open",
      pdf: true,
    },
  ];
}

/** The invoice whose PDF the ERP pushes; the other open one is fetched from the demo ERP. */
export const PUSHED_PDF = "INV-2026-0112";

export function returns(now = Date.now()) {
  return [
    {
      returnRef: "RET-2026-0007",
      rmaNumber: "RMA-2026-0007",
      customer: DEMO_BUYER.id,
      orderRef: "5002003",
      lines: [{ sku: "TOTE-CANVAS", qty: 2 }],
      reason: "Two totes with a torn handle",
      status: "refunded",
      at: new Date(now - 30 * DAY).toISOString(),
      version: DEMO_VERSION + 10,
    },
  ];
}

/** The demo storefront's Shopify variants (the demo cart's catalogue, widget/demo/cart-catalogue.json). */
export const cartCatalogue = JSON.parse(readFileSync(new URL("../../widget/demo/cart-catalogue.json", import.meta.url), "utf8"));

/** A variant the shop sold then and has deleted since, as the ERP has the SKU no more. */
const RETIRED = [
  { id: 44000000000020, product_id: 8012345678920, sku: "TEE-CLASSIC-2024", product_title: "Classic tee 2024", variant_title: null, price: 1900 },
];

/**
 * The buyer's past orders as the Shopify storefront sent them (orders/create): the edge learns the
 * platform's variant id of every SKU from these lines, as from any shop order, and a reorder puts
 * the lines back into the storefront's cart by those ids. Same refs, numbers and lines as the ERP's.
 */
export function shopOrders(now = Date.now()) {
  const variant = new Map([...cartCatalogue.variants, ...RETIRED].map((v) => [v.sku, v]));
  return accountOrders(now).map((o) => {
    const items = o.shipments.flatMap((s) => s.items);
    const line_items = items.map((item, i) => {
      const v = variant.get(item.sku);
      if (!v) throw new Error(`demo: no Shopify variant for ${item.sku}`);
      const price = (v.price / 100).toFixed(2);
      return {
        id: Number(o.orderRef) * 10 + i,
        sku: v.sku,
        title: v.product_title,
        name: v.variant_title ? `${v.product_title} - ${v.variant_title}` : v.product_title,
        quantity: item.qty,
        price,
        product_id: v.product_id,
        variant_id: v.id,
      };
    });
    const total = line_items.reduce((sum, l) => sum + Number(l.price) * l.quantity, 0).toFixed(2);
    return {
      id: Number(o.orderRef),
      name: o.orderNumber,
      email: o.email,
      currency: "EUR",
      total_price: total,
      subtotal_price: total,
      financial_status: "paid",
      cancelled_at: null,
      created_at: new Date(Date.parse(o.at) - 3_600_000).toISOString(),
      line_items,
    };
  });
}

/**
 * Sends the past orders to the edge as Shopify's signed orders/create webhooks; answers how many
 * were new and how many the edge had already (a webhook's delivery id dedupes a second run).
 */
export async function pushShopOrders(creds, now = Date.now()) {
  const counts = { applied: 0, stale: 0 };
  for (const order of shopOrders(now)) {
    const body = JSON.stringify(order);
    const res = await fetch(`${creds.edgeUrl}/v1/hooks/shopify/${creds.shop}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-shopify-topic": "orders/create",
        "x-shopify-webhook-id": `demo-past-order-${order.id}`,
        "x-shopify-shop-domain": "backroom-demo.myshopify.com",
        "x-shopify-hmac-sha256": createHmac("sha256", creds.platformWebhookSecret).update(body).digest("base64"),
      },
      body,
    });
    if (res.status !== 200) throw new Error(`sending Shopify order ${order.id}: HTTP ${res.status} ${await res.text()}`);
    const ack = await res.json();
    if (ack.duplicate) counts.stale++;
    else counts.applied++;
  }
  return counts;
}

/** The invoice as the demo ERP renders it. */
export function invoicePdf(number, now = Date.now()) {
  const inv = invoices(now).find((i) => i.number === number);
  if (!inv) return undefined;
  return textPdf([
    "Backroom Demo Outfitters - Invoice",
    "",
    `Invoice ${inv.number}`,
    "ACME Outfitters GmbH (CUST-ACME)",
    `Orders: ${inv.orderRefs.join(", ")}`,
    `Issued ${inv.issuedAt}, due ${inv.dueAt}`,
    `Total EUR ${inv.total}, open EUR ${inv.openAmount}`,
  ]);
}

/**
 * Pushes the buyer's orders, invoices and returns, and the pushed invoice PDF, with the demo shop's
 * ERP secret. Safe to run again: the versions are fixed, so a second push is stale.
 */
export async function seedDemoAccount(edge, creds, now = Date.now()) {
  const results = {};
  results.accountOrders = await edge.push(creds.shop, creds.erpSecret, "orders", { orders: accountOrders(now) });
  results.invoices = await edge.push(creds.shop, creds.erpSecret, "invoices", { invoices: invoices(now) });
  results.returns = await edge.push(creds.shop, creds.erpSecret, "returns", { returns: returns(now) });
  // After the ERP's own records: the orders are shipped, so the storefront's copies hold no stock.
  results.shopOrders = await pushShopOrders(creds, now);
  const pdf = invoicePdf(PUSHED_PDF, now);
  const res = await fetch(`${creds.edgeUrl}/v1/erp/${creds.shop}/invoices/${PUSHED_PDF}/pdf`, {
    method: "PUT",
    headers: { ...signedHeaders(creds.erpSecret, pdf), "content-type": "application/pdf" },
    body: pdf,
  });
  if (res.status !== 204) throw new Error(`pushing the PDF of ${PUSHED_PDF}: HTTP ${res.status} ${await res.text()}`);
  return results;
}

/** Points the demo shop's orders (and so its returns and invoice PDFs) at the demo ERP (operator: orders-settings). */
export async function connectDemoErp(edgeUrl, adminToken, shop, erpUrl) {
  const res = await fetch(`${edgeUrl}/v1/admin/shops/${shop}/orders-settings`, {
    method: "PUT",
    headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
    body: JSON.stringify({ erpEndpointUrl: `${erpUrl}/orders` }),
  });
  if (res.status !== 200) throw new Error(`pointing ${shop} at the demo ERP: HTTP ${res.status} ${await res.text()}`);
}
