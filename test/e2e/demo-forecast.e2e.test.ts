import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../worker/cli/seed.mjs";
import { QualityReport, StaffForecast } from "../../worker/contract/quality";
import { type Edge, startEdge } from "./edge";
import { e2ePort } from "./ports";

/** The demo shop (`npm start`'s seed) gives the forecast and the quality report something to show (issue 15). */

let edge: Edge;
let dir: string;
let staffKey: string;

beforeAll(async () => {
  edge = await startEdge({ port: e2ePort(8875) });
  dir = mkdtempSync(join(tmpdir(), "backroom-demo-forecast-"));
  const { creds } = await seedDemo(edge.url, edge.adminToken, { credsFile: join(dir, "creds.json") });
  staffKey = creds.staffKey;
}, 120_000);

afterAll(async () => {
  await edge?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const staff = async (path: string) => {
  const res = await fetch(`${edge.url}/v1/staff/demo${path}`, { headers: { authorization: `Bearer ${staffKey}` } });
  expect(res.status).toBe(200);
  return res.json();
};

describe("the demo shop's history", () => {
  it("forecasts a seasonal tee and an intermittent mug from two years of seeded sales", async () => {
    const tee = StaffForecast.parse(await staff("/forecast/TEE-ORG-M-BLK"));
    const berlin = tee.warehouses.find((w) => w.warehouse === "BER");
    expect(berlin).toMatchObject({ class: "regular", method: "holt-damped", leadTimeDays: 1 });
    expect(berlin?.history.every((q) => q > 0)).toBe(true);
    expect(berlin?.weekly.every((q) => q > 0)).toBe(true);
    const mug = StaffForecast.parse(await staff("/forecast/MUG-ENAMEL"));
    expect(mug.warehouses.find((w) => w.warehouse === "BER")).toMatchObject({ class: "intermittent", method: "sba" });
  });

  it("shows the duplicate customer in the quality report", async () => {
    const report = QualityReport.parse(await staff("/quality?kind=duplicate_customer"));
    expect(report.items.map((i) => i.fields)).toEqual([expect.objectContaining({ reason: "vat_id", keep: "C-2001", merge: "C-2002" })]);
  });
});
