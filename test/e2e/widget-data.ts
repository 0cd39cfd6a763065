import { createHmac } from "node:crypto";

/**
 * The widget e2e suites' ERP: creates shop `demo` on a running edge and pushes a small catalogue
 * through the signed ERP API (Standard Webhooks, exactly as an ERP would), shaped like the demo
 * seed (warehouses BER/HAM/VIE, TEE-ORG-*, MUG-ENAMEL, HOODIE-*, price list B2B-GOLD, CUST-ACME,
 * order #1001).
 */

export interface ShopSecrets {
  erpSecret: string;
  customerSecret: string;
}

export const SHOP = "demo";
export const TEES = ["S", "M", "L", "XL"].flatMap((s) => ["BLK", "WHT"].map((c) => `TEE-ORG-${s}-${c}`));

let counter = 0;
let lastVersion = 0;
/** A fresh ERP version: its write time in ms, strictly increasing within this process. */
export const nextVersion = (): number => {
  lastVersion = Math.max(lastVersion + 1, Date.now());
  return lastVersion;
};

/** Standard Webhooks signature: base64 HMAC-SHA256 over `{id}.{timestamp}.{body}` with the whsec_ key's bytes. */
export function signErp(secret: string, id: string, timestamp: number, body: string): Record<string, string> {
  const key = secret.startsWith("whsec_") ? Buffer.from(secret.slice(6), "base64") : Buffer.from(secret);
  const mac = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
  return { "webhook-id": id, "webhook-timestamp": String(timestamp), "webhook-signature": `v1,${mac}` };
}

/** The storefront's signed customer token: `<id>.<expires>.<hex HMAC-SHA256(customerSecret, "id.expires")>`. */
export function customerToken(customerSecret: string, customerId: string, expiresUnix: number): string {
  return `${customerId}.${expiresUnix}.${createHmac("sha256", customerSecret).update(`${customerId}.${expiresUnix}`).digest("hex")}`;
}

export async function erpPush(edge: string, secret: string, resource: string, body: unknown): Promise<{ applied: number; stale: number; rejected: unknown[] }> {
  const raw = JSON.stringify(body);
  const headers = signErp(secret, `e2e_${process.pid}_${++counter}_${Date.now()}`, Math.floor(Date.now() / 1000), raw);
  const res = await fetch(`${edge}/v1/erp/${SHOP}/${resource}`, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: raw });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`push ${resource}: ${res.status} ${text}`);
  const result = JSON.parse(text);
  if (result.rejected?.length) throw new Error(`push ${resource} rejected rows: ${text}`);
  return result;
}

const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

export async function seedWidgetShop(edge: string, adminToken: string, locale = "de-DE"): Promise<ShopSecrets> {
  const res = await fetch(`${edge}/v1/admin/shops`, {
    method: "POST",
    headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
    body: JSON.stringify({ id: SHOP, name: "Backroom Demo", platform: "custom", origins: [edge], currency: "EUR", locale, lowStockThreshold: 5 }),
  });
  if (res.status !== 201) throw new Error(`create shop: ${res.status} ${await res.text()}`);
  const secrets: ShopSecrets = await res.json();
  const s = secrets.erpSecret;
  const v = nextVersion();
  await erpPush(edge, s, "warehouses", {
    warehouses: [
      { code: "BER", name: "Berlin", country: "DE" },
      { code: "HAM", name: "Hamburg", country: "DE" },
      { code: "VIE", name: "Vienna", country: "AT" },
    ],
  });
  await erpPush(edge, s, "products", {
    products: [
      ...TEES.map((sku, i) => ({ sku, name: `Organic tee ${sku.slice(8)}`, gtin: `40000000000${String(i).padStart(2, "0")}`, version: v })),
      { sku: "MUG-ENAMEL", name: "Enamel mug", backorder: true, version: v },
      ...["S", "M", "L"].map((z) => ({ sku: `HOODIE-${z}`, name: `Hoodie ${z}`, version: v })),
    ],
  });
  await erpPush(edge, s, "stock", {
    items: [
      // Every tee a different total, so a wrong variant can never show the right number.
      ...TEES.flatMap((sku, i) => [
        { sku, warehouse: "BER", onHand: 10 + i * 3, version: v },
        { sku, warehouse: "HAM", onHand: 7 + i, version: v },
      ]),
      { sku: "MUG-ENAMEL", warehouse: "BER", onHand: 0, incoming: [{ qty: 20, eta: day(10), ref: "PO-7" }], version: v },
      { sku: "HOODIE-S", warehouse: "VIE", onHand: 3, version: v },
      { sku: "HOODIE-M", warehouse: "BER", onHand: 25, version: v },
      { sku: "HOODIE-M", warehouse: "VIE", onHand: 15, committed: 4, version: v },
      { sku: "HOODIE-L", warehouse: "HAM", onHand: 12, version: v },
    ],
  });
  const all = [...TEES, "MUG-ENAMEL", "HOODIE-S", "HOODIE-M", "HOODIE-L"];
  await erpPush(edge, s, "prices", {
    lists: [{ id: "B2B-GOLD", name: "Gold", currency: "EUR" }],
    prices: all.flatMap((sku) => [
      { list: "B2B-GOLD", sku, minQty: 1, unitPrice: "12.40", version: v },
      { list: "B2B-GOLD", sku, minQty: 10, unitPrice: "11.20", version: v },
      { list: "B2B-GOLD", sku, minQty: 50, unitPrice: "9.95", version: v },
    ]),
  });
  await erpPush(edge, s, "customers", {
    customers: [
      { id: "CUST-ACME", company: "ACME GmbH", priceList: "B2B-GOLD", paymentTerms: "30 Tage netto", version: v },
      { id: "CUST-BOLT", company: "Bolt AG", priceList: "B2B-GOLD", version: v },
    ],
  });
  const order = { orderRef: "5001", orderNumber: "#1001", email: "anna@example.com" };
  const at = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString();
  await erpPush(edge, s, "orders", { orders: [{ ...order, status: "confirmed", at: at(2), version: v }] });
  await erpPush(edge, s, "orders", {
    orders: [{ ...order, status: "shipped", shipments: [{ carrier: "DHL", trackingNumber: "3318810025" }], at: at(1), version: v + 1 }],
  });
  return secrets;
}

/** Sets one SKU's on-hand in one warehouse, as an ERP stock push. */
export const pushStock = (edge: string, secret: string, sku: string, warehouse: string, onHand: number) =>
  erpPush(edge, secret, "stock", { items: [{ sku, warehouse, onHand, version: nextVersion() }] });
