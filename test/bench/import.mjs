/**
 * File import benchmark: a generated 100,000-row stock CSV (two warehouses, a few bad rows at known
 * lines) imported through `worker/cli/import` into the bundled worker served by Miniflare on
 * 127.0.0.1:8840 (see lib/server.mjs). Measures parse + map alone, the first import (applied) and
 * the same file again (every row stale), and checks the rejected rows come back with their lines.
 *
 *   node_modules/.bin/node test/bench/import.mjs            (100,000 rows)
 *   BENCH_IMPORT_ROWS=20000 node_modules/.bin/node test/bench/import.mjs
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { CsvParser } from "../../worker/cli/import/csv.mjs";
import { resolveColumns, toRow } from "../../worker/cli/import/rows.mjs";
import { runImport } from "../../worker/cli/import/run.mjs";
import { startEdge } from "./lib/server.mjs";
import { round } from "./lib/stats.mjs";
import { printTable } from "./lib/table.mjs";

const PORT = Number(process.env.BENCH_IMPORT_PORT ?? 8840);
/** Rows of the measured run, and of the quick one CI runs only to prove the module still works. */
const FULL_ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
const QUICK_ROWS = 300;
/** Lines (1-based, the header is line 1) that carry a value the edge or the mapper must refuse. */
const badLines = (rows) => [17, Math.min(5_003, rows - 50), Math.min(rows, 77_777)];

function writeCsv(dir, ROWS, BAD_LINES) {
  const file = join(dir, "stock.csv");
  const lines = ["SKU;Lager;Bestand;Reserviert;Zulauf Menge;Zulauf Termin"];
  for (let i = 0; i < ROWS; i++) {
    const line = i + 2;
    const sku = `BENCH-${String(Math.floor(i / 2)).padStart(6, "0")}`;
    const wh = i % 2 === 0 ? "BER" : "HAM";
    if (line === BAD_LINES[0]) lines.push(`${sku};${wh};zwölf;0;;`);
    else if (line === BAD_LINES[1]) lines.push(`"BAD SKU";${wh};3;0;;`);
    else if (line === BAD_LINES[2]) lines.push(`${sku};${wh};-5;-1;;`);
    else lines.push(`${sku};${wh};${(i * 7) % 50};${i % 3};${i % 10 === 0 ? `20;2099-0${1 + (i % 9)}-15` : ";"}`);
  }
  writeFileSync(file, `${lines.join("\r\n")}\r\n`);
  return file;
}

const MAPPING = { sku: "SKU", warehouse: "Lager", onHand: "Bestand", committed: "Reserviert", incomingQty: "Zulauf Menge", incomingEta: "Zulauf Termin" };

async function parseOnly(text) {
  const started = performance.now();
  const parser = new CsvParser({ delimiter: ";" });
  let columns;
  let rows = 0;
  for (let at = 0; at < text.length; at += 256 * 1024) {
    for (const rec of parser.push(text.slice(at, at + 256 * 1024))) {
      if (!columns) columns = resolveColumns("stock", rec.fields, MAPPING);
      else if (toRow("stock", columns, (c) => rec.fields[c], 1).row) rows++;
    }
  }
  parser.end();
  return { rows, seconds: (performance.now() - started) / 1000 };
}

export async function run({ quick = false } = {}) {
  const ROWS = quick ? QUICK_ROWS : FULL_ROWS;
  const BAD_LINES = badLines(ROWS);
  const dir = mkdtempSync(join(tmpdir(), "backroom-import-"));
  const edge = await startEdge({ port: PORT });
  try {
    const file = writeCsv(dir, ROWS, BAD_LINES);
    const created = await fetch(`${edge.url}/v1/admin/shops`, {
      method: "POST",
      headers: { authorization: `Bearer ${edge.adminToken}`, "content-type": "application/json" },
      body: JSON.stringify({
        id: "bench-import",
        name: "Import bench",
        platform: "custom",
        origins: ["https://shop.example"],
        currency: "EUR",
        locale: "de-DE",
      }),
    });
    if (created.status !== 201) throw new Error(`creating the shop: ${created.status} ${await created.text()}`);
    const { erpSecret } = await created.json();
    const parsed = await parseOnly((await import("node:fs")).readFileSync(file, "utf8"));
    const opts = { file, shop: "bench-import", kind: "stock", edge: edge.url, secret: erpSecret, mapping: MAPPING, createWarehouses: true };
    const first = await runImport(opts);
    const again = await runImport(opts);
    const reportedLines = first.rejected.map((r) => r.line);
    const linesOk = BAD_LINES.every((l) => reportedLines.includes(l)) && first.rejected.length === BAD_LINES.length;
    if (!linesOk) console.error("import bench: rejected rows were", first.rejected.slice(0, 10));
    return [
      { name: `import: CSV parse + map only (${ROWS.toLocaleString("en-US")} rows)`, value: Math.round(parsed.rows / parsed.seconds), unit: "rows/s" },
      {
        name: `import: ${ROWS.toLocaleString("en-US")} stock rows into the edge, first time (applied)`,
        value: Math.round(first.rows / first.seconds),
        unit: "rows/s",
        goal: ">= 2000",
      },
      { name: "import: first time, wall time", value: round(first.seconds, 1), unit: "s" },
      { name: "import: rows applied", value: first.applied, unit: "rows", goal: `>= ${ROWS - BAD_LINES.length}` },
      // A file carries no versions: each import is stamped with its start time, so a re-import is newer and applies again.
      { name: "import: the same file again (re-applied as newer)", value: Math.round(again.rows / again.seconds), unit: "rows/s" },
      { name: "import: rows applied on the second run", value: again.applied, unit: "rows", goal: `>= ${ROWS - BAD_LINES.length}` },
      { name: `import: bad rows reported with their file lines (${BAD_LINES.join(", ")})`, value: linesOk ? 1 : 0, unit: "bool", goal: ">= 1" },
    ];
  } finally {
    await edge.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) printTable(await run());
