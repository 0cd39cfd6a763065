#!/usr/bin/env node
/**
 * `npm run shop -- create --id acme --name "ACME" --platform shopify --origin https://acme.example --currency EUR --locale de-DE`
 * `npm run shop -- rotate --id acme`
 * `npm run shop -- staff add --id acme --name "Anna" --scopes read,operate` | `staff revoke --id acme --key sk_…` | `staff list --id acme`
 * `npm run shop -- audit --id acme` | `npm run shop -- erpnext-webhook-secret --id acme [--secret …]`
 * `npm run shop -- connector erp --id acme --settings '{"kind":"odoo","url":"https://odoo.acme.example",…}' [--disabled]`
 * `npm run shop -- pool add --pool acme --id acme-b2b [--drop-replica] [--warehouses BER] [--buffer 2|10%] [--cap 5]`
 * `npm run shop -- pool show --id acme` | `pool rules --id acme-b2b --buffer 10%` | `pool remove --pool acme --id acme-b2b`
 *
 * Talks to the edge's operator API (`--edge`, default http://127.0.0.1:8787) with the operator token
 * (`--token`, else $BACKROOM_ADMIN_TOKEN, else .dev.vars). Secrets and keys are printed once: the
 * edge keeps only ciphertext and hashes.
 */
import { parseArgs } from "node:util";
import { EdgeClient } from "./lib/edge-client.mjs";
import { ensureDevVars } from "./lib/local-edge.mjs";

const USAGE = `usage:
  npm run shop -- create --id <slug> --name <name> --platform shopify|woocommerce|bigcommerce|magento|custom
                         --origin <https://storefront> [--origin ...] --currency EUR --locale de-DE
                         [--low-stock 5] [--token-days 30] [--platform-secret <webhook secret>] [--edge URL] [--token TOKEN]
  npm run shop -- rotate --id <slug>
  npm run shop -- staff add --id <slug> --name "<who>" --scopes read[,operate][,configure]
  npm run shop -- staff revoke --id <slug> --key <sk_…>
  npm run shop -- staff list --id <slug>
  npm run shop -- audit --id <slug> [--limit 50]
  npm run shop -- erpnext-webhook-secret --id <slug> [--secret <at least 24 characters>]
  npm run shop -- connector erp --id <slug> --settings '<odoo|erpnext settings JSON>' [--disabled]
  npm run shop -- pool show --id <root>                  the stock pool named by its root shop, with every channel's rules
  npm run shop -- pool add --pool <root> --id <slug> [--drop-replica] [rules]
  npm run shop -- pool remove --pool <root> --id <slug>
  npm run shop -- pool rules --id <slug> [rules]          replaces the channel's rules; a rule not given is lifted
      rules: [--warehouses BER,HAM] [--buffer <units>|<percent>%] [--cap <units>]
  (each also takes [--edge URL] [--token TOKEN])`;

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
    "token-days": { type: "string" },
    "platform-secret": { type: "string" },
    scopes: { type: "string" },
    key: { type: "string" },
    limit: { type: "string", default: "50" },
    secret: { type: "string" },
    settings: { type: "string" },
    disabled: { type: "boolean", default: false },
    pool: { type: "string" },
    "drop-replica": { type: "boolean", default: false },
    warehouses: { type: "string" },
    buffer: { type: "string" },
    cap: { type: "string" },
    edge: { type: "string", default: process.env.BACKROOM_EDGE ?? "http://127.0.0.1:8787" },
    token: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});

const [command, sub] = positionals;
const known =
  ["create", "rotate", "audit", "erpnext-webhook-secret"].includes(command) ||
  (command === "staff" && ["add", "revoke", "list"].includes(sub)) ||
  (command === "connector" && sub === "erp") ||
  (command === "pool" && ["show", "add", "remove", "rules"].includes(sub));
if (values.help || !known || !values.id) {
  console.error(USAGE);
  process.exit(values.help ? 0 : 2);
}

const token = values.token ?? process.env.BACKROOM_ADMIN_TOKEN ?? ensureDevVars().BACKROOM_ADMIN_TOKEN;
const edge = new EdgeClient(values.edge, { adminToken: token });

/** Answers the body of a 2xx, or prints the edge's error and exits. */
function ok(res) {
  if (res.status >= 200 && res.status < 300) return res.body;
  const err = res.body?.error;
  console.error(`The edge said ${res.status}: ${err ? `${err.code}: ${err.message}` : JSON.stringify(res.body)}`);
  if (err?.details) console.error(JSON.stringify(err.details, null, 2));
  process.exit(1);
}

const when = (iso) => (iso ? iso.replace("T", " ").replace(/\.\d+Z$/, "Z") : "-");

if (command === "create" || command === "rotate") {
  const s = ok(
    command === "create"
      ? await edge.createShop({
          id: values.id,
          name: values.name ?? values.id,
          platform: values.platform,
          origins: values.origin,
          currency: values.currency,
          locale: values.locale,
          ...(values["low-stock"] ? { lowStockThreshold: Number(values["low-stock"]) } : {}),
          ...(values["token-days"] ? { customerTokenMaxDays: Number(values["token-days"]) } : {}),
          ...(values["platform-secret"] ? { platformWebhookSecret: values["platform-secret"] } : {}),
        })
      : await edge.rotateSecrets(values.id),
  );
  console.log(`Shop "${s.shop}" ${command === "create" ? "created" : "has new secrets"}. They are shown once; store them now.

  ERP secret              ${s.erpSecret}
      the ERP signs its pushes with it (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature)
  Staff key               ${s.staffKey}
      the shop-wide staff key (every scope); give people their own: npm run shop -- staff add
  Customer secret         ${s.customerSecret}
      the storefront signs B2B customer tokens with it (Liquid hmac_sha256, PHP hash_hmac)
  Platform webhook secret ${s.platformWebhookSecret ?? "-"}
      the shop platform signs its order webhooks with it
`);
} else if (command === "staff" && sub === "add") {
  if (!values.name || !values.scopes) {
    console.error(USAGE);
    process.exit(2);
  }
  const k = ok(
    await edge.addStaffKey(
      values.id,
      values.name,
      values.scopes.split(",").map((s) => s.trim()),
    ),
  );
  console.log(`Staff key ${k.id} for ${k.name} (${k.scopes.join(", ")}). It is shown once; hand it over now.

  ${k.key}
`);
} else if (command === "staff" && sub === "revoke") {
  if (!values.key) {
    console.error(USAGE);
    process.exit(2);
  }
  const k = ok(await edge.revokeStaffKey(values.id, values.key));
  console.log(`Staff key ${k.id} (${k.name}) revoked at ${when(k.revokedAt)}.`);
} else if (command === "staff" && sub === "list") {
  const { keys } = ok(await edge.listStaffKeys(values.id));
  console.log(["id".padEnd(16), "name".padEnd(24), "scopes".padEnd(24), "last used".padEnd(21), "revoked"].join(" "));
  for (const k of keys) {
    console.log([k.id.padEnd(16), k.name.slice(0, 24).padEnd(24), k.scopes.join(",").padEnd(24), when(k.lastUsedAt).padEnd(21), when(k.revokedAt)].join(" "));
  }
} else if (command === "audit") {
  const { entries } = ok(await edge.audit(values.id, Number(values.limit)));
  for (const e of entries) {
    const changes = e.changes.map((c) => `${c.field}: ${JSON.stringify(c.from ?? null)} → ${JSON.stringify(c.to ?? null)}`).join("; ");
    console.log(`${when(e.at)}  ${e.actorName} (${e.actor})  ${e.action}  ${e.target}${changes ? `  ${changes}` : ""}`);
  }
} else if (command === "pool") {
  const describe = (c) => {
    const r = c.rules;
    const buffer = r.buffer ? ("percent" in r.buffer ? `${r.buffer.percent}%` : `${r.buffer.units} units`) : "none";
    return `${c.shop.padEnd(24)} ${c.platform.padEnd(12)} warehouses ${r.warehouses?.join(",") ?? "all"}, buffer ${buffer}, cap ${r.cap ?? "none"}`;
  };
  const rules = () => {
    const buffer =
      values.buffer === undefined || values.buffer === "none"
        ? null
        : values.buffer.endsWith("%")
          ? { percent: Number(values.buffer.slice(0, -1)) }
          : { units: Number(values.buffer) };
    return {
      warehouses: values.warehouses && values.warehouses !== "all" ? values.warehouses.split(",").map((w) => w.trim()) : null,
      buffer,
      cap: values.cap === undefined || values.cap === "none" ? null : Number(values.cap),
    };
  };
  if ((sub === "add" || sub === "remove") && !values.pool) {
    console.error(USAGE);
    process.exit(2);
  }
  if (sub === "show") {
    const p = ok(await edge.pool(values.id));
    console.log(`Stock pool "${p.pool}" (ERP secret and ERP connector: "${p.pool}"'s), ${p.channels.length} channel(s):`);
    for (const c of p.channels) console.log(`  ${describe(c)}`);
  } else if (sub === "add") {
    const c = ok(await edge.joinPool(values.pool, values.id, { dropReplica: values["drop-replica"], rules: rules() }));
    console.log(`"${c.shop}" now sells from the stock pool "${c.pool}"; its ERP pushes are signed with "${c.pool}"'s ERP secret.\n  ${describe(c)}`);
  } else if (sub === "remove") {
    const c = ok(await edge.leavePool(values.pool, values.id));
    console.log(`"${c.shop}" left the pool "${values.pool}": it is its own pool again, with an empty replica (push its stock with its own ERP secret).`);
  } else {
    console.log(`  ${describe(ok(await edge.setChannelRules(values.id, rules())))}`);
  }
} else if (command === "connector") {
  let settings;
  try {
    settings = JSON.parse(values.settings ?? "");
  } catch {
    console.error(`--settings must be the connector's settings as JSON\n${USAGE}`);
    process.exit(2);
  }
  const saved = ok(await edge.setErpConnector(values.id, settings, !values.disabled));
  console.log(`ERP connector of "${values.id}": ${saved.kind}, ${saved.enabled ? "enabled" : "disabled"} (credentials sealed; staff see them masked).`);
} else {
  const { webhookSecret } = ok(await edge.setErpNextWebhookSecret(values.id, values.secret));
  console.log(`ERPNext webhook secret of "${values.id}" (shown once; put it into each ERPNext Webhook's "Webhook Secret"):

  ${webhookSecret}
`);
}
