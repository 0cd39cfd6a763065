import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { buildWidget } from "../../widget/build.mjs";
import { startEdge } from "../e2e/edge.ts";
import { e2ePort } from "../e2e/ports.ts";
import { Checks, formatTable } from "./checks.ts";
import { EdgeApi } from "./edge-api.ts";
import { erpNextConformance } from "./erpnext-suite.ts";
import { OdooRpc } from "./odoo-rpc.ts";
import { odooConformance } from "./odoo-suite.ts";

/**
 * `npm run conformance -- odoo --url http://127.0.0.1:8017 --db qa17 --login admin --password admin`
 *
 * `npm run conformance -- erpnext --url https://erp.example --key … --secret …`
 *
 * Starts a local edge from this checkout (`wrangler dev` on a fresh D1), points a shop's ERP
 * connector at the given server and drives it end to end; prints a table of checks and exits 1 when
 * one fails. Without `--url` it is skipped (exit 0): CI has no ERP. `--reset-from qa17_pristine`
 * first replaces `--db` with a fresh copy of that database (Odoo's db manager, `--master-password`,
 * default `admin`). The suite writes to the ERP: never point it at a production database.
 */

export const USAGE = `usage: npm run conformance -- odoo --url <odoo url> --db <db> --login <login> --password <password or API key> [--reset-from <pristine db>] [--master-password <pw>]
       npm run conformance -- erpnext --url <erpnext url> --key <api key> --secret <api secret>`;

export const OPTIONS = {
  url: { type: "string" },
  db: { type: "string" },
  login: { type: "string" },
  password: { type: "string" },
  key: { type: "string" },
  secret: { type: "string" },
  "reset-from": { type: "string" },
  "master-password": { type: "string", default: "admin" },
  port: { type: "string" },
} as const;

export type Plan =
  | { kind: "skip"; reason: string }
  | { kind: "usage"; reason: string }
  | { kind: "odoo"; url: string; db: string; login: string; password: string; resetFrom?: string; masterPassword: string; port: number }
  | { kind: "erpnext"; url: string; key: string; secret: string; port: number };

/** What the command line asks for; pure, so the unit test can check it without a server. */
export function plan(argv: string[]): Plan {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  const erp = positionals[0];
  if (erp !== "odoo" && erp !== "erpnext") return { kind: "usage", reason: `name the ERP: odoo or erpnext (got ${erp ?? "nothing"})` };
  if (!values.url) return { kind: "skip", reason: `conformance ${erp}: skipped, no --url given (CI has no ERP; see README "Conformance")` };
  const port = values.port ? Number(values.port) : e2ePort(8890);
  if (erp === "odoo") {
    if (!values.db || !values.login || !values.password) return { kind: "usage", reason: "odoo needs --db, --login and --password" };
    return {
      kind: "odoo",
      url: values.url,
      db: values.db,
      login: values.login,
      password: values.password,
      ...(values["reset-from"] ? { resetFrom: values["reset-from"] } : {}),
      masterPassword: values["master-password"],
      port,
    };
  }
  if (!values.key || !values.secret)
    return { kind: "usage", reason: "erpnext needs --key and --secret (an API key pair of a user allowed to write items, stock and orders)" };
  return { kind: "erpnext", url: values.url, key: values.key, secret: values.secret, port };
}

/** Replaces `db` with a fresh copy of `pristine` through Odoo's database manager. */
async function resetOdoo(rpc: OdooRpc, db: string, pristine: string, masterPassword: string): Promise<void> {
  const dbs = await rpc.call("db", "list", []);
  if (Array.isArray(dbs) && dbs.includes(db)) await rpc.call("db", "drop", [masterPassword, db]);
  await rpc.call("db", "duplicate_database", [masterPassword, pristine, db]);
  console.error(`reset ${db} from ${pristine}`);
}

/** A local edge from this checkout for the length of `body`, with shop "conf". */
async function withEdge(port: number, body: (edge: EdgeApi, adminToken: string) => Promise<void>): Promise<void> {
  const edge = await startEdge({ port, timeoutMs: 120_000 });
  try {
    await body(new EdgeApi(edge.url, "conf"), edge.adminToken);
  } finally {
    await edge.stop();
  }
}

async function main(): Promise<number> {
  const p = plan(process.argv.slice(2));
  if (p.kind === "skip") {
    console.log(p.reason);
    return 0;
  }
  if (p.kind === "usage") {
    console.error(`${p.reason}\n${USAGE}`);
    return 2;
  }
  // wrangler serves the widget's build as static assets: it must exist before the edge starts.
  if (!existsSync(resolve(import.meta.dirname, "../../widget/dist"))) await buildWidget({ quiet: true });
  const checks = new Checks();
  let title: string;
  if (p.kind === "odoo") {
    const target = { url: p.url, db: p.db, login: p.login, password: p.password };
    if (p.resetFrom) await resetOdoo(new OdooRpc(target), p.db, p.resetFrom, p.masterPassword);
    const version = await new OdooRpc(target).call("common", "version", []);
    const serie = typeof version === "object" && version !== null && "server_version" in version ? String(version.server_version) : "?";
    title = `Odoo ${serie} at ${p.url} (db ${p.db})`;
    await withEdge(p.port, (edge, adminToken) => checks.step("suite", () => odooConformance(checks, edge, adminToken, target)));
  } else {
    title = `ERPNext at ${p.url}`;
    const target = { url: p.url, key: p.key, secret: p.secret };
    await withEdge(p.port, (edge, adminToken) => checks.step("suite", () => erpNextConformance(checks, edge, adminToken, target)));
  }
  console.log(formatTable(title, checks.rows));
  return checks.failed === 0 ? 0 : 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = await main();
