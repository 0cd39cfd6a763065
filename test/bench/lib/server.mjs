/**
 * One local edge for benchmarks: the worker bundled by wrangler (what `wrangler deploy` would
 * ship), served through Miniflare's API on 127.0.0.1 — D1, the ShopHub Durable Object and the
 * Cache API included, without `wrangler dev`'s proxy (which caps every route near 700 req/s).
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";

export const ROOT = resolve(import.meta.dirname, "../../..");
export const ADMIN_TOKEN = `bench-admin-${randomBytes(8).toString("hex")}`;

/** Bundles the worker with wrangler into dist-worker/ (git-ignored), answering the script path. */
export function bundleWorker() {
  const outdir = join(ROOT, "dist-worker");
  execFileSync(join(ROOT, "node_modules/.bin/wrangler"), ["deploy", "--dry-run", "--outdir", outdir], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      WRANGLER_SEND_METRICS: "false",
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
      PATH: `${join(ROOT, "node_modules/.bin")}:${process.env.PATH}`,
    },
  });
  return join(outdir, "index.js");
}

/** The wrangler.toml values the bench needs, read rather than restated. */
function wranglerConfig() {
  const toml = readFileSync(join(ROOT, "wrangler.toml"), "utf8");
  const date = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(toml)?.[1];
  const flags = /^compatibility_flags\s*=\s*\[([^\]]*)\]/m.exec(toml)?.[1] ?? "";
  const vars = {};
  const varsBlock = /^\[vars\]\n([\s\S]*?)(?:\n\[|$)/m.exec(toml)?.[1] ?? "";
  for (const m of varsBlock.matchAll(/^([A-Z_]+)\s*=\s*"([^"]*)"/gm)) vars[m[1]] = m[2];
  return { compatibilityDate: date, compatibilityFlags: [...flags.matchAll(/"([^"]+)"/g)].map((m) => m[1]), vars };
}

/** Applies worker/migrations/*.sql in order, one statement at a time (triggers kept whole). */
async function migrate(db) {
  const dir = join(ROOT, "worker/migrations");
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .sort()) {
    const sql = readFileSync(join(dir, file), "utf8").replace(/--.*$/gm, "");
    const statements = [];
    let current = "";
    for (const line of sql.split("\n")) {
      current += `${line}\n`;
      const inTrigger = /CREATE\s+TRIGGER/i.test(current) && !/\bEND\s*;\s*$/i.test(current.trim());
      if (current.trim().endsWith(";") && !inTrigger) {
        statements.push(current.trim());
        current = "";
      }
    }
    if (current.trim()) statements.push(current.trim());
    await db.batch(statements.map((s) => db.prepare(s)));
  }
}

/**
 * Starts the bundled worker on 127.0.0.1:`port` with fresh in-memory state.
 * @returns {{ url: string, mf: Miniflare, dispose: () => Promise<void> }}
 */
export async function startEdge({ port, vars = {} }) {
  const scriptPath = bundleWorker();
  const cfg = wranglerConfig();
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      port,
      modules: true,
      scriptPath,
      compatibilityDate: cfg.compatibilityDate,
      compatibilityFlags: cfg.compatibilityFlags,
      bindings: {
        ...cfg.vars,
        ...vars,
        BACKROOM_ADMIN_TOKEN: ADMIN_TOKEN,
        BACKROOM_MASTER_KEY: randomBytes(32).toString("base64"),
      },
      d1Databases: { DB: "bench-db" },
      durableObjects: { HUB: { className: "ShopHub", useSQLite: true } },
      cache: true,
      cf: false,
    }),
  );
  const url = (await mf.ready).toString().replace(/\/$/, "");
  await migrate(await mf.getD1Database("DB"));
  return { url, mf, dispose: () => mf.dispose() };
}
