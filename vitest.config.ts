import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { WxtVitest } from "wxt/testing/vitest-plugin";

/** Fixed secrets for the workerd test runtime only; `npm start` generates real ones into .dev.vars. */
export const TEST_SECRETS = {
  BACKROOM_ADMIN_TOKEN: "test-admin-token",
  BACKROOM_MASTER_KEY: "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
  // Local mode: outbound calls may reach loopback and plain-http fakes. Never set in production.
  BACKROOM_LOCAL: "1",
};

export default defineConfig(async () => {
  const migrations = await readD1Migrations("./worker/migrations");
  return {
    test: {
      // The JSON report is what .ci/run counts for its closing "N passed, N failed" line.
      reporters: ["default", "json"],
      outputFile: { json: "test/.artifacts/vitest.json" },
      projects: [
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: { bindings: { ...TEST_SECRETS, TEST_MIGRATIONS: migrations } },
            }),
          ],
          test: { name: "worker", include: ["test/worker/**/*.test.ts"], setupFiles: ["./test/worker/apply-migrations.ts"] },
        },
        { test: { name: "unit", include: ["test/unit/**/*.test.ts"], exclude: ["test/unit/extension*.test.ts"], environment: "node" } },
        // The staff extension's pure parts, with WXT's fake browser (storage, permissions) wired in.
        { plugins: [WxtVitest({ root: "./extension" })], test: { name: "extension", include: ["test/unit/extension*.test.ts"], environment: "node" } },
        {
          // Real wrangler dev + Chromium: one file at a time (ports and CPU are shared), generous timeouts.
          test: {
            name: "e2e",
            include: ["test/e2e/**/*.e2e.test.ts"],
            environment: "node",
            fileParallelism: false,
            testTimeout: 120_000,
            hookTimeout: 180_000,
          },
        },
      ],
    },
  };
});
