/**
 * One local edge for benchmarks: the worker bundled by wrangler (what `wrangler deploy` would
 * ship), served through Miniflare's API on 127.0.0.1 — D1, the pool Durable Objects, queues and
 * the Cache API included, without `wrangler dev`'s proxy (which caps every route near 700 req/s).
 * Bindings come from wrangler.toml through wrangler's own reader, so the bench runs the real config.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { build } from "esbuild";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";

export const ROOT = resolve(import.meta.dirname, "../../..");
export const ADMIN_TOKEN = `bench-admin-${randomBytes(8).toString("hex")}`;

const quiet = { WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };
Object.assign(process.env, quiet);

/** Bundles the worker with wrangler into `root`/dist-worker/ (git-ignored), answering the script path. */
export function bundleWorker(root = ROOT) {
  const outdir = join(root, "dist-worker");
  execFileSync(join(ROOT, "node_modules/.bin/wrangler"), ["deploy", "--dry-run", "--outdir", outdir], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, ...quiet, PATH: `${join(ROOT, "node_modules/.bin")}:${process.env.PATH}` },
  });
  return join(outdir, "index.js");
}

/**
 * The bundle's modules for Miniflare: its entry and the Text modules next to it (the pool objects'
 * migrations, bundled as text by wrangler.toml's `[[rules]]`), which Miniflare would not find itself.
 */
export function workerModules(scriptPath) {
  const dir = dirname(scriptPath);
  const texts = readdirSync(dir).filter((f) => f.endsWith(".sql"));
  return [{ type: "ESModule", path: scriptPath }, ...texts.map((f) => ({ type: "Text", path: join(dir, f) }))];
}

/**
 * Bundles a bench's own driver worker (`source`, an ES module importing the code under test from
 * `root`) with esbuild into a temporary folder, answering that folder and the script path: what
 * the in-workerd benches (dataplane, ingest-profile, scale) run their SQL and timings in.
 */
export async function bundleDriver(name, source, root = ROOT) {
  const dir = join(tmpdir(), `backroom-bench-${name}-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "entry.mjs"), source);
  const out = join(dir, "driver.mjs");
  await build({
    entryPoints: [join(dir, "entry.mjs")],
    bundle: true,
    format: "esm",
    platform: "neutral",
    outfile: out,
    logLevel: "error",
    nodePaths: [join(root, "node_modules"), join(ROOT, "node_modules")],
  });
  return { dir, out };
}

/** Splits a migration file into statements, keeping CREATE TRIGGER … END; bodies whole. */
export function sqlStatements(sql) {
  const statements = [];
  let current = "";
  for (const line of sql.replace(/--.*$/gm, "").split("\n")) {
    current += `${line}\n`;
    const text = current.trim();
    const openTrigger = /CREATE\s+TRIGGER/i.test(text) && !/\bEND\s*;$/i.test(text);
    if (text.endsWith(";") && !openTrigger) {
      statements.push(text);
      current = "";
    }
  }
  if (current.trim()) statements.push(current.trim());
  return statements;
}

/** Applies `root`/worker/migrations/*.sql in order. */
export async function migrate(db, root) {
  const dir = join(root, "worker/migrations");
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .sort()) {
    const statements = sqlStatements(readFileSync(join(dir, file), "utf8"));
    if (statements.length > 0) await db.batch(statements.map((s) => db.prepare(s)));
  }
}

/**
 * Starts the bundled worker on 127.0.0.1:`port` with fresh in-memory state and generated secrets.
 * `vars` override wrangler.toml's; `root` bundles another checkout (e.g. a copy with an experiment).
 * @returns {Promise<{ url: string, mf: Miniflare, adminToken: string, dispose: () => Promise<void> }>}
 */
export async function startEdge({ port, vars = {}, root = ROOT }) {
  const scriptPath = bundleWorker(root);
  const { workerOptions: w } = unstable_getMiniflareWorkerOptions(join(root, "wrangler.toml"));
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      port,
      // Module names are relative to this root: the bundle's own directory works for another checkout too.
      modulesRoot: dirname(scriptPath),
      modules: workerModules(scriptPath),
      compatibilityDate: w.compatibilityDate,
      compatibilityFlags: w.compatibilityFlags,
      // BACKROOM_LOCAL: the bench's fake ERP listens on 127.0.0.1 over http (worker/outbound/local-mode.ts).
      bindings: { ...w.bindings, BACKROOM_LOCAL: "1", ...vars, BACKROOM_ADMIN_TOKEN: ADMIN_TOKEN, BACKROOM_MASTER_KEY: randomBytes(32).toString("base64") },
      d1Databases: w.d1Databases,
      durableObjects: w.durableObjects,
      queueProducers: w.queueProducers,
      queueConsumers: w.queueConsumers,
      cache: true,
      cf: false,
    }),
  );
  const url = (await mf.ready).toString().replace(/\/$/, "");
  await migrate(await mf.getD1Database("DB"), root);
  return { url, mf, adminToken: ADMIN_TOKEN, dispose: () => mf.dispose() };
}
