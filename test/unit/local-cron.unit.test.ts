import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { configuredCrons, cronMatches, startLocalCron } from "../../worker/cli/lib/local-cron.mjs";

describe("local cron: npm start fires wrangler.toml's cron triggers", () => {
  it("reads the crons of [triggers]", () => {
    expect(configuredCrons()).toEqual(["* * * * *", "*/15 * * * *"]);
  });

  it.each([
    ["* * * * *", "2026-11-29T10:07:00Z", true],
    ["*/15 * * * *", "2026-11-29T10:30:00Z", true],
    ["*/15 * * * *", "2026-11-29T10:31:00Z", false],
    ["0 3 * * *", "2026-11-29T03:00:00Z", true],
    ["0 3 * * *", "2026-11-29T04:00:00Z", false],
    ["5,35 * * * *", "2026-11-29T04:35:00Z", true],
    ["0-10/5 * * * *", "2026-11-29T04:10:00Z", true],
    ["0-10/5 * * * *", "2026-11-29T04:15:00Z", false],
    // 2026-11-29 is a Sunday: 0 and 7 both name it.
    ["0 12 * * 7", "2026-11-29T12:00:00Z", true],
    ["0 12 * * 1-5", "2026-11-29T12:00:00Z", false],
    // Both day fields restricted: either may match (the 1st of the month, or a Sunday).
    ["0 12 1 * 0", "2026-11-29T12:00:00Z", true],
  ])("%s at %s → %s (UTC)", (cron, at, fires) => {
    expect(cronMatches(cron, new Date(at))).toBe(fires);
  });

  it("refuses what it cannot read", () => {
    expect(() => cronMatches("* * * *", new Date())).toThrow(/five fields/);
    expect(() => cronMatches("*/0 * * * *", new Date())).toThrow(/step/);
  });

  it("fires every cron once at start (catching up), through wrangler's scheduled route", async () => {
    const seen: URL[] = [];
    const server = createServer((req, res) => {
      seen.push(new URL(req.url ?? "/", "http://x"));
      res.end("Ran scheduled event");
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    const { port } = server.address() as AddressInfo;
    const errors: string[] = [];
    const cron = startLocalCron(`http://127.0.0.1:${port}`, { log: (m: string) => errors.push(m) });
    try {
      await cron.first;
      expect(errors).toEqual([]);
      expect(seen.map((u) => [u.pathname, u.searchParams.get("cron")]).sort()).toEqual([
        ["/cdn-cgi/handler/scheduled", "* * * * *"],
        ["/cdn-cgi/handler/scheduled", "*/15 * * * *"],
      ]);
      for (const u of seen) expect(Math.abs(Number(u.searchParams.get("time")) - Date.now() / 1000)).toBeLessThan(60);
    } finally {
      cron.stop();
      server.close();
    }
  });
});
