#!/usr/bin/env node
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { parseMapFlags } from "./import/rows.mjs";
import { runImport } from "./import/run.mjs";

const USAGE = `Import a CSV or JSON export into a shop through the signed ERP API.

  npm run import -- <file.csv|file.json> --shop <id> --kind stock|products|prices|customers|sales
                    [--edge <url>] [--secret <erpSecret>]
                    [--map field=Column[,field=Column]] [--mapping mapping.json]
                    [--delimiter ";"] [--batch 5000] [--concurrency 3]
                    [--currency EUR] [--create-warehouses] [--errors-out rejected.csv] [--quiet]

Without --edge/--secret, the demo shop's .wrangler/demo-credentials.json (written by npm start) is used.
Fields: stock: sku, warehouse, onHand, committed, incomingQty, incomingEta, incomingRef, version
        products: sku, name, gtin, cost, currency, backorder, safetyStock, aliases (a|b), version
        prices: list, sku, minQty, unitPrice, listName, currency, version
        customers: id, email, company, priceList, paymentTerms, creditLimit, balance, version
Columns match their field by name ("On Hand", "on_hand" and "onHand" all fit onHand).
Exit code: 0 all applied or stale, 2 some rows rejected, 1 the import failed.`;

function fail(message) {
  process.stderr.write(`import: ${message}\n`);
  process.exit(1);
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    shop: { type: "string" },
    kind: { type: "string" },
    edge: { type: "string" },
    secret: { type: "string" },
    map: { type: "string", multiple: true, default: [] },
    mapping: { type: "string" },
    delimiter: { type: "string" },
    batch: { type: "string" },
    concurrency: { type: "string" },
    currency: { type: "string" },
    "create-warehouses": { type: "boolean", default: false },
    "errors-out": { type: "string" },
    quiet: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help || positionals.length !== 1) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(values.help ? 0 : 1);
}
const file = positionals[0];
if (!existsSync(file)) fail(`no such file: ${file}`);

const demoFile = join(process.cwd(), ".wrangler/demo-credentials.json");
const demo = existsSync(demoFile) ? JSON.parse(readFileSync(demoFile, "utf8")) : {};
const edge = values.edge ?? demo.edgeUrl;
const shop = values.shop ?? demo.shop;
const secret = values.secret ?? (shop === demo.shop ? demo.erpSecret : undefined);
if (!edge || !shop || !secret) fail("--edge, --shop and --secret are needed (or run `npm start` first for the demo shop)");
if (!values.kind) fail("--kind is needed: stock, products, prices, customers or sales");

let mapping = {};
try {
  if (values.mapping) mapping = JSON.parse(readFileSync(values.mapping, "utf8"));
  mapping = { ...mapping, ...parseMapFlags(values.map) };
} catch (e) {
  fail(e.message);
}

/** A progress bar on stderr (redrawn in place on a terminal, every 10% otherwise). */
function progressBar() {
  const tty = process.stderr.isTTY;
  const started = performance.now();
  let lastDraw = 0;
  let lastTenth = -1;
  return ({ bytes, size, rows, done }) => {
    if (values.quiet) return;
    const frac = size > 0 ? Math.min(1, bytes / size) : 1;
    const now = performance.now();
    const rate = Math.round(rows / Math.max(0.001, (now - started) / 1000));
    const width = 30;
    const bar = `[${"#".repeat(Math.round(frac * width)).padEnd(width, ".")}] ${String(Math.round(frac * 100)).padStart(3)}% ${rows.toLocaleString("en")} rows ${rate.toLocaleString("en")} rows/s`;
    if (tty) {
      if (done || now - lastDraw > 100) {
        process.stderr.write(`\r${bar}${done ? "\n" : ""}`);
        lastDraw = now;
      }
    } else if (Math.floor(frac * 10) > lastTenth) {
      lastTenth = Math.floor(frac * 10);
      process.stderr.write(`${bar}\n`);
    }
  };
}

try {
  const summary = await runImport({
    file,
    shop,
    kind: values.kind,
    edge,
    secret,
    mapping,
    delimiter: values.delimiter,
    batchSize: values.batch ? Number(values.batch) : undefined,
    concurrency: values.concurrency ? Number(values.concurrency) : undefined,
    currency: values.currency,
    createWarehouses: values["create-warehouses"],
    onProgress: progressBar(),
  });
  const rate = Math.round(summary.rows / Math.max(summary.seconds, 0.001));
  const out = process.stdout;
  out.write(
    `${file} → ${shop} (${values.kind}): ${summary.rows.toLocaleString("en")} rows in ${summary.seconds.toFixed(1)} s (${rate.toLocaleString("en")} rows/s)\n`,
  );
  out.write(
    `  applied ${summary.applied.toLocaleString("en")} · stale ${summary.stale.toLocaleString("en")} · rejected ${summary.rejected.length.toLocaleString("en")}`,
  );
  out.write(summary.duplicates ? ` · ${summary.duplicates} batches already applied before\n` : "\n");
  const shown = summary.rejected.slice(0, 50);
  for (const r of shown) out.write(`  row ${r.line}: ${r.code}: ${r.message}\n`);
  if (summary.rejected.length > shown.length)
    out.write(`  … and ${summary.rejected.length - shown.length} more${values["errors-out"] ? "" : " (--errors-out file.csv lists them all)"}\n`);
  if (values["errors-out"]) {
    const q = (s) => `"${String(s).replaceAll('"', '""')}"`;
    writeFileSync(values["errors-out"], `row,code,message\r\n${summary.rejected.map((r) => `${r.line},${q(r.code)},${q(r.message)}`).join("\r\n")}\r\n`);
  }
  process.exit(summary.rejected.length > 0 ? 2 : 0);
} catch (e) {
  fail(e instanceof Error ? e.message : String(e));
}
