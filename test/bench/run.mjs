/**
 * `npm run bench`: the edge core benchmark, then every other bench module that exists
 * (dataplane, ingest-profile, orders, widget, widget-detect, import, forecast, promise, scale), printed as ONE table and written to test/.artifacts/bench.json.
 * Each module exports `async run({ quick })` answering rows `{ name, value, unit, goal? }`.
 *
 *   npm run bench                          (the measured run)
 *   npm run bench -- --quick               (each module once with tiny sizes → bench-quick.json;
 *                                           what CI runs so a broken bench cannot land, no timing judged)
 *   npm run bench -- --only orders,import  (some modules)
 *   npm run bench -- scale --pools 1,10    (one module by name; its own flags follow)
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "./lib/server.mjs";
import { printTable, withOk } from "./lib/table.mjs";

const quick = process.argv.includes("--quick");
const onlyAt = process.argv.indexOf("--only");
const ALL = ["core", "dataplane", "ingest-profile", "orders", "widget", "widget-detect", "import", "forecast", "promise", "scale"];
// A module named as the first argument (`npm run bench -- scale`) runs alone.
const named = ALL.includes(process.argv[2]) ? [process.argv[2]] : undefined;
const only = onlyAt === -1 ? named : process.argv[onlyAt + 1]?.split(",");
const MODULES = ALL.filter((m) => !only || only.includes(m));

const rows = [];
const failures = [];
for (const name of MODULES) {
  const file = join(ROOT, "test/bench", `${name}.mjs`);
  if (!existsSync(file)) continue;
  const started = performance.now();
  console.error(`bench: ${name}…`);
  try {
    const mod = await import(pathToFileURL(file).href);
    rows.push(...(await mod.run({ quick })));
  } catch (e) {
    failures.push(name);
    console.error(`bench ${name} failed:`, e);
    rows.push({ name: `${name}: FAILED (${e instanceof Error ? e.message : String(e)})`.slice(0, 120), value: Number.NaN, unit: "", ok: false });
  }
  console.error(`bench: ${name} done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

printTable(rows);
const dir = join(ROOT, "test/.artifacts");
mkdirSync(dir, { recursive: true });
const out = quick ? "bench-quick.json" : "bench.json";
writeFileSync(join(dir, out), `${JSON.stringify({ at: new Date().toISOString(), quick, modules: MODULES, failures, rows: withOk(rows) }, null, 2)}\n`);
console.error(`bench: wrote test/.artifacts/${out}`);
// Goals missed are reported in the table, not as a failure: the bench is a measurement, not a test.
process.exitCode = failures.length > 0 ? 1 : 0;
