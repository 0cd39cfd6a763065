import { createHmac, randomUUID } from "node:crypto";

/**
 * Signs a body the way an ERP must sign its pushes to the edge (Standard Webhooks, v1):
 * `webhook-signature: v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>` where `key` is the
 * base64-decoded part of the `whsec_...` secret. This is the reference an ERP integrator can copy.
 *
 * @example
 * const headers = signedHeaders(secret, JSON.stringify(body));
 * await fetch(`${edge}/v1/erp/${shop}/stock`, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body });
 */
export function signedHeaders(secret, body, id = `msg_${randomUUID()}`, timestamp = Math.floor(Date.now() / 1000)) {
  const key = Buffer.from(secret.startsWith("whsec_") ? secret.slice(6) : secret, "base64");
  const mac = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
  return { "webhook-id": id, "webhook-timestamp": String(timestamp), "webhook-signature": `v1,${mac}` };
}

/** The storefront's customer token: `<id>.<expiresUnix>.<hex HMAC-SHA256(customerSecret, "<id>.<expiresUnix>")>`. */
export function customerToken(customerSecret, customerId, expiresUnix) {
  const mac = createHmac("sha256", customerSecret).update(`${customerId}.${expiresUnix}`).digest("hex");
  return `${customerId}.${expiresUnix}.${mac}`;
}
