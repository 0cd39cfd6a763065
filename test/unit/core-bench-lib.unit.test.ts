import { describe, expect, it } from "vitest";
import { parseWrk, wrkMillis } from "../bench/lib/load.mjs";
import { percentile } from "../bench/lib/stats.mjs";
import { meetsGoal } from "../bench/lib/table.mjs";

/** wrk 4.x `--latency` output, as printed on these machines. */
const WRK_OUT = `Running 8s test @ http://127.0.0.1:8850/v1/shops/bench/availability?sku=SKU-00042
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     8.61ms   12.02ms 132.37ms   91.02%
    Req/Sec     1.94k   311.52     2.61k    71.88%
  Latency Distribution
     50%    4.93ms
     75%    8.12ms
     90%   17.85ms
     99%   107.60ms
  30912 requests in 8.05s, 15.92MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 5
Requests/sec:   3839.41
Transfer/sec:      1.98MB
`;

describe("bench helpers", () => {
  it("read wrk's report: throughput, percentiles in ms, errors", () => {
    expect(parseWrk(WRK_OUT)).toEqual({ rps: 3839.41, p50: 4.93, p99: 107.6, requests: 30912, non2xx: 5, socketErrors: 3 });
  });

  it("convert wrk's duration units", () => {
    expect(wrkMillis("812.00us")).toBeCloseTo(0.812);
    expect(wrkMillis("1.20ms")).toBe(1.2);
    expect(wrkMillis("2.01s")).toBeCloseTo(2010);
    expect(wrkMillis("1.5m")).toBe(90_000);
    expect(wrkMillis("soon")).toBeNaN();
  });

  it("take nearest-rank percentiles", () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it("judge goals written as text or numbers", () => {
    expect(meetsGoal({ value: 0.9, goal: ">= 0.8" })).toBe(true);
    expect(meetsGoal({ value: 0.79, goal: "≥ 0.8" })).toBe(false);
    expect(meetsGoal({ value: 25, goal: "<= 25" })).toBe(true);
    expect(meetsGoal({ value: 20_001, goal: ">= 20,000" })).toBe(true);
    expect(meetsGoal({ value: 3, goal: 5 })).toBe(false);
    expect(meetsGoal({ value: Number.NaN, goal: ">= 1" })).toBe(false);
    expect(meetsGoal({ value: 1 })).toBeUndefined();
    expect(meetsGoal({ value: 1, goal: ">= 9", ok: true })).toBe(true);
  });
});
