import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { Checks, formatTable } from "../conformance/checks.ts";
import { plan } from "../conformance/run.ts";

/**
 * The live conformance suite (`npm run conformance`) needs a real ERP, which CI does not have: these
 * tests keep it loadable and pin what it does without one.
 */

const ROOT = resolve(import.meta.dirname, "../..");

describe("npm run conformance", () => {
  it("is skipped, exit 0 with a clear line, when no --url is given", () => {
    const run = spawnSync(process.execPath, ["test/conformance/run.ts", "odoo"], { cwd: ROOT, encoding: "utf8" });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^conformance odoo: skipped, no --url given/);
  }, 60_000);

  it("asks for the ERP and for every Odoo credential instead of starting half-configured", () => {
    expect(plan([])).toMatchObject({ kind: "usage" });
    expect(plan(["sap", "--url", "http://x"])).toMatchObject({ kind: "usage" });
    expect(plan(["odoo", "--url", "http://127.0.0.1:8017", "--db", "qa17"])).toEqual({ kind: "usage", reason: "odoo needs --db, --login and --password" });
    expect(plan(["erpnext"])).toMatchObject({ kind: "skip" });
    expect(plan(["erpnext", "--url", "http://erp.test", "--key", "k"])).toMatchObject({ kind: "usage" });
  });

  it("reads a full Odoo command line", () => {
    const p = plan([
      "odoo",
      "--url",
      "http://127.0.0.1:8017",
      "--db",
      "qa17",
      "--login",
      "admin",
      "--password",
      "pw",
      "--reset-from",
      "qa17_pristine",
      "--port",
      "9123",
    ]);
    expect(p).toEqual({
      kind: "odoo",
      url: "http://127.0.0.1:8017",
      db: "qa17",
      login: "admin",
      password: "pw",
      resetFrom: "qa17_pristine",
      masterPassword: "admin",
      port: 9123,
    });
  });

  it("refuses an unknown option rather than ignoring it", () => {
    expect(() => plan(["odoo", "--url", "http://x", "--passwd", "pw"])).toThrow(/passwd/);
  });
});

describe("the check table", () => {
  it("counts failures, keeps going after a step throws and prints every row with its figures", async () => {
    const checks = new Checks();
    checks.add("stock = Odoo", true, "78 pairs, 0 mismatches");
    await checks.step("prices", async () => {
      throw new Error("HTTP 401 customer_unknown");
    });
    checks.add("orders", false, "2 sale orders | state sale");
    expect(checks.failed).toBe(2);
    const table = formatTable("Odoo 17.0", checks.rows);
    expect(table.split("\n")[0]).toBe("Odoo 17.0: 1/3 checks pass");
    expect(table).toContain("| prices ");
    expect(table).toContain("error: HTTP 401 customer_unknown");
    // A figure's own "|" never breaks the Markdown table.
    expect(table).toContain("2 sale orders / state sale");
  });
});
