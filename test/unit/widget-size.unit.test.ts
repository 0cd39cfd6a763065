import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BUDGET, buildWidget } from "../../widget/build.mjs";

describe("widget.js size budget", () => {
  it(`builds to at most ${BUDGET.goal / 1024} KB gzip (the issue's budget, held in CI since issue 12), and the bundle carries no zod`, async () => {
    const outDir = mkdtempSync(join(tmpdir(), "backroom-widget-"));
    try {
      const { bytes, gzip, hash, more, promise } = await buildWidget({ quiet: true, outDir });
      // CI reads this line: the size is reported on every run, not only when it fails.
      console.log(
        `widget.js: ${bytes} B raw, ${gzip} B gzip (${(gzip / 1024).toFixed(2)} KB; goal ${BUDGET.goal} B, ceiling ${BUDGET.ceiling} B), version ${hash}; lazy ${more.file}: ${more.gzip} B gzip; its promise chunk ${promise.file}: ${promise.gzip} B gzip`,
      );
      // The lazy chunk sits beside widget.js under its content hash, and widget.js names exactly that file.
      expect(more.file).toMatch(/^widget-more-[0-9a-f]{10}\.js$/);
      expect(readFileSync(join(outDir, "widget.js"), "utf8")).toContain(more.file);
      // The promise chunk (issue 12) likewise, named by the lazy chunk that loads it.
      expect(readFileSync(join(outDir, more.file), "utf8")).toContain(promise.file);
      expect(gzip).toBeLessThanOrEqual(BUDGET.goal);
      const code = readFileSync(join(outDir, "widget.js"), "utf8");
      expect(code).not.toMatch(/ZodError|\$ZodType/);
      expect(readFileSync(join(outDir, `widget-${hash}.js`), "utf8")).toBe(code);
      expect(readFileSync(join(outDir, "_headers"), "utf8")).toMatch(/\/widget-\*\.js\n\s+Cache-Control: public, max-age=31536000, immutable/);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });
});
