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
