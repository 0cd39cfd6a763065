/**
 * `npm run bench`: the edge core benchmark, then every other bench module that exists
 * (orders, widget, widget-detect, import), printed as ONE table and written to test/.artifacts/bench.json.
 * Each module exports `async run()` answering rows `{ name, value, unit, goal? }`.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "./lib/server.mjs";
import { printTable, withOk } from "./lib/table.mjs";

const MODULES = ["core", "orders", "widget", "widget-detect", "import"];

const rows = [];
const failures = [];
for (const name of MODULES) {
  const file = join(ROOT, "test/bench", `${name}.mjs`);
  if (!existsSync(file)) continue;
  const started = performance.now();
  console.error(`bench: ${name}…`);
  try {
    const mod = await import(pathToFileURL(file).href);
    rows.push(...(await mod.run()));
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
writeFileSync(join(dir, "bench.json"), `${JSON.stringify({ at: new Date().toISOString(), rows: withOk(rows) }, null, 2)}\n`);
console.error(`bench: wrote test/.artifacts/bench.json`);
// Goals missed are reported in the table, not as a failure: the bench is a measurement, not a test.
process.exitCode = failures.length > 0 ? 1 : 0;
