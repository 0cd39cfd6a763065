#!/usr/bin/env node
/**
 * `npm start`: the whole edge on this machine, no Cloudflare account. Builds the widget, applies the
 * local D1 migrations, makes `.dev.vars` if missing, starts `wrangler dev` on 127.0.0.1:$PORT (8787),
 * seeds the demo shop through the signed ERP API, prints where everything is, and then fires the
 * cron triggers on their schedule while it runs (wrangler dev does not).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { connectDemoErp, seedDemoAccount } from "./demo-account.mjs";
import { bootDemo, writeTokensBeforeStart } from "./lib/demo-boot.mjs";
import { startDemoErp } from "./lib/demo-erp.mjs";
import { EdgeClient } from "./lib/edge-client.mjs";
import { startLocalCron } from "./lib/local-cron.mjs";
import { applyMigrations, ensureDevVars, ROOT, startWrangler } from "./lib/local-edge.mjs";
import { DEMO_B2B_SHOP, DEMO_SHOP, seedB2bChannel } from "./seed.mjs";

const port = Number(process.env.PORT ?? 8787);
const vars = ensureDevVars();

const build = spawnSync("npm", ["run", "build", "--silent"], { cwd: ROOT, stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);
mkdirSync(join(ROOT, "widget/dist"), { recursive: true });

applyMigrations();
const credsFile = join(ROOT, ".wrangler/demo-credentials.json");
// Before the edge starts: a file written into the served assets later would reload it (see demo-boot.mjs).
const tokensWrittenFor = writeTokensBeforeStart(credsFile);
const edge = await startWrangler({ port }).catch((e) => {
  console.error(e.message);
  process.exit(1);
});
let cron;
let demoErp;
const shutdown = async () => {
  cron?.stop();
  await demoErp?.stop();
  await edge.stop();
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
edge.child.once("exit", (code) => process.exit(code ?? 0));

try {
  // Local state from before the pool objects (issue 17): its pools move into their objects first,
  // as `npm run migrate-pools` does for a deployment (on a fresh state this is one call that finds nothing).
  const operator = new EdgeClient(edge.url, { adminToken: vars.BACKROOM_ADMIN_TOKEN });
  for (let moved = await operator.migratePools(500); !moved.body?.done; moved = await operator.migratePools(500))
    if (moved.status !== 200) throw new Error(`moving local pools out of D1: ${moved.status} ${JSON.stringify(moved.body)}`);
  const { creds, results } = await bootDemo(edge.url, vars.BACKROOM_ADMIN_TOKEN, {
    credsFile,
    origins: [`http://localhost:${port}`],
    tokensWrittenFor,
  });
  const b2b = await seedB2bChannel(edge.url, vars.BACKROOM_ADMIN_TOKEN, creds.erpSecret, {
    credsFile: join(ROOT, ".wrangler/demo-b2b-credentials.json"),
    origins: [`http://localhost:${port}`],
  });
  // B2B self-service (issue 13): the demo ERP takes the demo shop's orders and approves returns; the
  // demo buyer CUST-ACME gets orders, invoices (PDFs) and a past return.
  demoErp = await startDemoErp({ edgeUrl: edge.url, shop: DEMO_SHOP, erpSecret: creds.erpSecret });
  await connectDemoErp(edge.url, vars.BACKROOM_ADMIN_TOKEN, DEMO_SHOP, demoErp.url);
  Object.assign(results, await seedDemoAccount(new EdgeClient(edge.url, { adminToken: vars.BACKROOM_ADMIN_TOKEN }), creds));
  // wrangler dev never fires the cron triggers itself: fire them on their schedule, as Cloudflare does.
  cron = startLocalCron(edge.url);
  const counts = Object.entries(results)
    .map(([k, r]) => `${k} ${r.applied} applied / ${r.stale} unchanged`)
    .join(", ");
  const u = edge.url;
  console.log(`
  Backroom edge is running at ${u}   (Ctrl-C stops it)

  Demo storefront   ${u}/demo/
  Widget script     ${u}/widget.js
  API description   ${u}/openapi.json
  Availability      ${u}/v1/shops/${DEMO_SHOP}/availability?sku=TEE-ORG-M-BLK&sku=MUG-ENAMEL
  Staff view        curl -H 'authorization: Bearer ${creds.staffKey}' ${u}/v1/staff/${DEMO_SHOP}/products/HOODIE-M
  Order lookup      curl -X POST -H 'content-type: application/json' -d '{"orderNumber":"#1001","email":"anna@example.com"}' ${u}/v1/shops/${DEMO_SHOP}/orders/lookup

  Stock pool "${DEMO_SHOP}": two channels sell the same stock, each within its own rules
    B2C (the pool's root)   ${u}/v1/shops/${DEMO_SHOP}/availability?sku=HOODIE-L
    B2B "${DEMO_B2B_SHOP}"        ${u}/v1/shops/${DEMO_B2B_SHOP}/availability?sku=HOODIE-L   (BER + HAM only, 10 % held back)
    Channels and rules      npm run shop -- pool show --id ${DEMO_SHOP}
    B2B staff key           ${b2b.creds.staffKey}   (.wrangler/demo-b2b-credentials.json)

  Demo shop "${DEMO_SHOP}" credentials (also in .wrangler/demo-credentials.json):
    ERP secret (signs pushes)   ${creds.erpSecret}
    Staff key (extension)       ${creds.staffKey}
    Customer secret (B2B)       ${creds.customerSecret}
    Operator token              ${vars.BACKROOM_ADMIN_TOKEN}   (.dev.vars)

  Demo ERP          ${demoErp.url}   (takes orders, approves returns, renders invoice PDFs)
  Reorder           ${u}/demo/ → "account as CUST-ACME" → "Erneut bestellen": the lines land in the demo's Shopify-shaped cart (${u}/demo/cart.js, header count)
  Buyer account     curl -H "x-backroom-customer: $(jq -r '.customers["CUST-ACME"]' widget/dist/demo/demo-tokens.json)" ${u}/v1/shops/${DEMO_SHOP}/account

  Seeded: ${counts}
  Cron triggers     ${cron.crons.join(", ")} (UTC), fired locally on schedule (once now to catch up)
`);
} catch (e) {
  console.error(`Seeding the demo shop failed: ${e instanceof Error ? e.message : e}`);
  await edge.stop();
  process.exit(1);
}
