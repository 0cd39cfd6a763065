/**
 * Node-side client helpers for benchmarks: Standard Webhooks signing (as an ERP would sign its
 * pushes) and JSON calls against a running edge.
 */
import { createHmac } from "node:crypto";

let counter = 0;

/** The three Standard Webhooks headers for `body` under a `whsec_...` secret. */
export function signStandardWebhook(secret, body, id = `bench_${Date.now()}_${++counter}`, timestamp = Math.floor(Date.now() / 1000)) {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const mac = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
  return { "webhook-id": id, "webhook-timestamp": String(timestamp), "webhook-signature": `v1,${mac}` };
}

/** POSTs a signed ERP push; throws unless the edge answers 200. Answers the parsed result. */
export async function erpPush(base, shop, secret, resource, payload) {
  const body = JSON.stringify(payload);
  const res = await fetch(`${base}/v1/erp/${shop}/${resource}`, {
    method: "POST",
    headers: { ...signStandardWebhook(secret, body), "content-type": "application/json" },
    body,
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`push ${resource}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

/** Creates a shop through the operator API, answering its secrets. */
export async function createShop(base, adminToken, id, origins = ["https://shop.example"]) {
  const res = await fetch(`${base}/v1/admin/shops`, {
    method: "POST",
    headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
    body: JSON.stringify({ id, name: `Bench ${id}`, platform: "custom", origins, currency: "EUR", locale: "de-DE" }),
  });
  if (res.status !== 201) throw new Error(`create shop: ${res.status} ${await res.text()}`);
  return res.json();
}
