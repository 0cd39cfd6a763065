#!/usr/bin/env node
/**
 * `npm run shop -- create --id acme --name "ACME" --platform shopify --origin https://acme.example --currency EUR --locale de-DE`
 * `npm run shop -- rotate --id acme`
 *
 * Talks to the edge's operator API (`--edge`, default http://127.0.0.1:8787) with the operator token
 * (`--token`, else $BACKROOM_ADMIN_TOKEN, else .dev.vars) and prints the shop's secrets: the edge
 * shows them this once.
 */
import { parseArgs } from "node:util";
import { EdgeClient } from "./lib/edge-client.mjs";
import { ensureDevVars } from "./lib/local-edge.mjs";

const USAGE = `usage:
  npm run shop -- create --id <slug> --name <name> --platform shopify|woocommerce|bigcommerce|magento|custom
                         --origin <https://storefront> [--origin ...] --currency EUR --locale de-DE
                         [--low-stock 5] [--platform-secret <webhook secret>] [--edge URL] [--token TOKEN]
  npm run shop -- rotate --id <slug> [--edge URL] [--token TOKEN]`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    id: { type: "string" },
    name: { type: "string" },
    platform: { type: "string", default: "custom" },
    origin: { type: "string", multiple: true, default: [] },
    currency: { type: "string", default: "EUR" },
    locale: { type: "string", default: "en-US" },
    "low-stock": { type: "string" },
    "platform-secret": { type: "string" },
    edge: { type: "string", default: process.env.BACKROOM_EDGE ?? "http://127.0.0.1:8787" },
    token: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});

const command = positionals[0];
if (values.help || !["create", "rotate"].includes(command) || !values.id) {
  console.error(USAGE);
  process.exit(values.help ? 0 : 2);
}

const token = values.token ?? process.env.BACKROOM_ADMIN_TOKEN ?? ensureDevVars().BACKROOM_ADMIN_TOKEN;
const edge = new EdgeClient(values.edge, { adminToken: token });
const res =
  command === "create"
    ? await edge.createShop({
        id: values.id,
        name: values.name ?? values.id,
        platform: values.platform,
        origins: values.origin,
        currency: values.currency,
        locale: values.locale,
        ...(values["low-stock"] ? { lowStockThreshold: Number(values["low-stock"]) } : {}),
        ...(values["platform-secret"] ? { platformWebhookSecret: values["platform-secret"] } : {}),
      })
    : await edge.rotateSecrets(values.id);

if (res.status !== 200 && res.status !== 201) {
  const err = res.body?.error;
  console.error(`The edge said ${res.status}: ${err ? `${err.code}: ${err.message}` : JSON.stringify(res.body)}`);
  if (err?.details) console.error(JSON.stringify(err.details, null, 2));
  process.exit(1);
}
const s = res.body;
console.log(`Shop "${s.shop}" ${command === "create" ? "created" : "has new secrets"}. They are shown once; store them now.

  ERP secret              ${s.erpSecret}
      the ERP signs its pushes with it (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature)
  Staff key               ${s.staffKey}
      goes into the staff extension's options
  Customer secret         ${s.customerSecret}
      the storefront signs B2B customer tokens with it (Liquid hmac_sha256, PHP hash_hmac)
  Platform webhook secret ${s.platformWebhookSecret ?? "-"}
      the shop platform signs its order webhooks with it
`);
