import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { e2ePort } from "./ports";

/**
 * `npm run bench` must keep working: every bench module runs once, the way `npm run bench` runs it
 * (plain Node, not vitest's resolver), with tiny sizes. Only that each produced its rows is checked;
 * no timing is judged here.
 */

const ROOT = resolve(import.meta.dirname, "../..");
const MODULES = ["core", "dataplane", "orders", "widget", "import", "forecast", "scale"];

function runQuickBench(): Promise<{ code: number | null; output: string }> {
  return new Promise((ok, fail) => {
    const env = {
      ...process.env,
      WRANGLER_SEND_METRICS: "false",
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
      // Ports set for this checkout's benchmarks win; else the e2e offset shifts the defaults.
      BENCH_CORE_PORT: process.env.BENCH_CORE_PORT ?? String(e2ePort(8850)),
      BENCH_ORDERS_PORT: process.env.BENCH_ORDERS_PORT ?? String(e2ePort(8810)),
      BENCH_DATAPLANE_PORT: process.env.BENCH_DATAPLANE_PORT ?? String(e2ePort(8870)),
      BENCH_WIDGET_PORT: process.env.BENCH_WIDGET_PORT ?? String(e2ePort(8823)),
      BENCH_IMPORT_PORT: process.env.BENCH_IMPORT_PORT ?? String(e2ePort(8840)),
      BENCH_SCALE_PORT: process.env.BENCH_SCALE_PORT ?? String(e2ePort(8890)),
    };
    const child = spawn(process.execPath, [join(ROOT, "test/bench/run.mjs"), "--quick"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    const output: string[] = [];
    child.stdout.on("data", (d) => output.push(String(d)));
    child.stderr.on("data", (d) => output.push(String(d)));
    child.on("error", fail);
    child.on("exit", (code) => ok({ code, output: output.join("") }));
  });
}

describe("npm run bench -- --quick", () => {
  it("runs every bench module once and each produces its rows", { timeout: 600_000 }, async () => {
    const { code, output } = await runQuickBench();
    expect(code, output).toBe(0);
    const report: { quick: boolean; failures: string[]; rows: Array<{ name: string; value: unknown }> } = JSON.parse(
      readFileSync(join(ROOT, "test/.artifacts/bench-quick.json"), "utf8"),
    );
    expect(report.quick).toBe(true);
    expect(report.failures).toEqual([]);
    for (const mod of MODULES) {
      const rows = report.rows.filter((r) => r.name.startsWith(`${mod}:`));
      expect(rows.length, `${mod} rows`).toBeGreaterThan(0);
      for (const r of rows) expect(typeof r.value === "number" ? Number.isFinite(r.value) : typeof r.value === "string", `${r.name} = ${r.value}`).toBe(true);
    }
    // widget-detect reports under "widget:" too: its rows must be there as well.
    expect(
      report.rows.some((r) => r.name.includes("detection on a")),
      "widget-detect rows",
    ).toBe(true);
    // One table on stdout, with the header once.
    expect(output.match(/\| name +\| +value \|/g)?.length).toBe(1);
  });
});
