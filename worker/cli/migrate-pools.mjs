#!/usr/bin/env node
/**
 * `npm run migrate-pools [-- --edge URL] [--token TOKEN] [--pages 100]`
 *
 * Moves every stock pool's data that a deployment from before issue 17 still keeps in D1 into the
 * pool's own Durable Object, by calling the operator route `POST /v1/admin/data-plane/migrate` until
 * it answers `done`. Each call copies at most `--pages` pages of 500 rows and saves where it stands,
 * so the command may be stopped at any moment and run again: it resumes, and rows copied twice are
 * stored once. A pool answers 503 to its shops only while its own rows are being copied; pools not
 * reached yet keep working on D1, pools done work on their object.
 */
import { parseArgs } from "node:util";
import { EdgeClient } from "./lib/edge-client.mjs";
import { ensureDevVars } from "./lib/local-edge.mjs";

const { values } = parseArgs({
  options: {
    edge: { type: "string", default: "http://127.0.0.1:8787" },
    token: { type: "string" },
    pages: { type: "string", default: "100" },
  },
});
const edge = new EdgeClient(values.edge, { adminToken: values.token ?? process.env.BACKROOM_ADMIN_TOKEN ?? ensureDevVars().BACKROOM_ADMIN_TOKEN });

for (let call = 1; ; call++) {
  const { status, body } = await edge.migratePools(Number(values.pages));
  if (status !== 200) {
    console.error(`migrate-pools: the edge answered ${status}:`, JSON.stringify(body));
    process.exit(1);
  }
  const { pools, copied, deleted, done } = body;
  console.log(`step ${call}: ${copied} rows copied, ${deleted} deleted from D1; pools in D1 ${pools.d1}, moving ${pools.migrating}, done ${pools.done}`);
  if (done) break;
}
console.log("migrate-pools: every pool's data lives in its own object.");
