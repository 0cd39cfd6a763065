/**
 * Forecast accuracy on a real retail history (issue 15): UCI Online Retail, units per SKU per day
 * (test/fixtures/retail/, CC BY 4.0, provenance there), 100 regular and 100 intermittent SKUs. The
 * last 8 weeks are held out; each SKU is forecast from what came before with the edge's own model
 * (worker/forecast/model.ts, bundled here with esbuild) and with the seasonal-naive baseline (the last
 * week repeated); both are scored per day by MASE (scaled by the in-sample seasonal-naive error) and
 * bias, per class; the same forecasts summed to weeks are also scored against the last week repeated.
 * Deterministic: no timing in it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { ROOT } from "./lib/server.mjs";

const HOLDOUT_DAYS = 56;
const SEASON = 7;
/** The fixture's first day, 2010-12-01, was a Wednesday (0 = Monday). */
const FIRST_WEEKDAY = 2;

async function loadModule(entry) {
  const out = join(ROOT, "test/.artifacts", `bench-${entry.replace(/\W/g, "-")}.mjs`);
  await build({ entryPoints: [join(ROOT, entry)], bundle: true, format: "esm", platform: "neutral", outfile: out, logLevel: "error" });
  return import(`${pathToFileURL(out).href}?t=${Date.now()}`);
}

export function readSeries() {
  const text = readFileSync(join(ROOT, "test/fixtures/retail/online-retail-daily.csv"), "utf8");
  return text
    .split("\n")
    .filter((l) => l && !l.startsWith("#") && !l.startsWith("sku,"))
    .map((l) => {
      const [sku, cls, values] = l.split(",");
      return { sku, cls, daily: values.split(" ").map(Number) };
    });
}

export async function run({ quick } = {}) {
  const model = await loadModule("worker/forecast/model.ts");
  const acc = await loadModule("worker/forecast/accuracy.ts");
  const series = readSeries();
  const rows = [];
  for (const cls of ["regular", "intermittent"]) {
    const chosen = series.filter((s) => s.cls === cls).slice(0, quick ? 10 : undefined);
    const ours = [];
    const naive = [];
    const pairsOurs = [];
    const pairsNaive = [];
    const weeklyOurs = [];
    const weeklyNaive = [];
    let wins = 0;
    for (const s of chosen) {
      const history = s.daily.slice(0, s.daily.length - HOLDOUT_DAYS);
      const actual = s.daily.slice(s.daily.length - HOLDOUT_DAYS);
      const lastDay = (FIRST_WEEKDAY + history.length - 1) % 7;
      const f = model.dailyForecast(model.forecastDemand(history, lastDay, HOLDOUT_DAYS / 7), lastDay, HOLDOUT_DAYS);
      const n = acc.seasonalNaive(history, SEASON, HOLDOUT_DAYS);
      const mo = acc.mase(f, actual, history, SEASON);
      const mn = acc.mase(n, actual, history, SEASON);
      if (mo === undefined || mn === undefined) continue;
      ours.push(mo);
      naive.push(mn);
      if (mo < mn) wins++;
      // The same forecasts as weekly totals, against the last week repeated (a yearly season needs two years).
      const wf = model.weeklyTotals(f);
      const wa = model.weeklyTotals(actual);
      const wh = model.weeklyTotals(history);
      const wo = acc.mase(wf, wa, wh, 1);
      const wn = acc.mase(acc.seasonalNaive(wh, 1, wa.length), wa, wh, 1);
      if (wo !== undefined && wn !== undefined) {
        weeklyOurs.push(wo);
        weeklyNaive.push(wn);
      }
      pairsOurs.push({ forecast: f, actual });
      pairsNaive.push({ forecast: n, actual });
    }
    const mean = (xs) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
    const r3 = (x) => Math.round(x * 1000) / 1000;
    const pct = (x) => Math.round((x ?? Number.NaN) * 1000) / 10;
    const label = `forecast: ${cls} (${ours.length} SKUs, Online Retail, last 8 weeks held out)`;
    rows.push(
      { name: `${label}: mean MASE, ours / seasonal-naive`, value: r3(mean(ours) / mean(naive)), unit: `${r3(mean(ours))} vs ${r3(mean(naive))}`, goal: "< 1" },
      { name: `${label}: median MASE, ours vs seasonal-naive`, value: r3(median(ours)), unit: `vs ${r3(median(naive))}` },
      { name: `${label}: SKUs where ours beats seasonal-naive`, value: wins, unit: `of ${ours.length}` },
      {
        name: `${label}: weekly totals, mean MASE ours / naive (last week repeated)`,
        value: r3(mean(weeklyOurs) / mean(weeklyNaive)),
        unit: `${r3(mean(weeklyOurs))} vs ${r3(mean(weeklyNaive))}`,
      },
      { name: `${label}: bias, ours vs seasonal-naive`, value: pct(acc.bias(pairsOurs)), unit: `% (seasonal-naive ${pct(acc.bias(pairsNaive))} %)` },
    );
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { printTable } = await import("./lib/table.mjs");
  printTable(await run({ quick: process.argv.includes("--quick") }));
}
