import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** A running local edge: `wrangler dev` on a fresh, migrated D1 of its own. */
export interface Edge {
  url: string;
  adminToken: string;
  /** Directory holding this edge's D1/DO state (deleted by stop()). */
  persistTo: string;
  /** Everything wrangler printed, for failure messages. */
  log: () => string;
  stop: () => Promise<void>;
}

const ROOT = resolve(import.meta.dirname, "../..");
const WRANGLER = join(ROOT, "node_modules/wrangler/bin/wrangler.js");
// Wrangler refuses Node < 22; the node that runs vitest (node_modules/.bin/node) is 22.
const NODE = process.execPath;
const QUIET_ENV = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", NO_COLOR: "1", CI: "1" };

function run(args: string[], logs: string[]): Promise<void> {
  return new Promise((ok, fail) => {
    const p = spawn(NODE, [WRANGLER, ...args], { cwd: ROOT, env: QUIET_ENV, stdio: ["ignore", "pipe", "pipe"] });
    p.stdout.on("data", (d) => logs.push(String(d)));
    p.stderr.on("data", (d) => logs.push(String(d)));
    p.on("error", fail);
    p.on("exit", (code) => (code === 0 ? ok() : fail(new Error(`wrangler ${args[0]} exited ${code}:\n${logs.join("")}`))));
  });
}

function killGroup(p: ChildProcess, signal: NodeJS.Signals): void {
  if (p.pid === undefined || p.exitCode !== null) return;
  try {
    process.kill(-p.pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * Starts `wrangler dev --ip 127.0.0.1 --port <port>` against a fresh temp `--persist-to` dir with
 * the migrations applied and fresh secrets, and waits for `/healthz`. `stop()` kills the whole
 * process group (wrangler and its workerd children) and removes the state.
 *
 * @example
 * const edge = await startEdge({ port: 8820 });
 * await fetch(`${edge.url}/healthz`);
 * await edge.stop();
 */
export async function startEdge({ port, timeoutMs = 60_000 }: { port: number; timeoutMs?: number }): Promise<Edge> {
  const persistTo = mkdtempSync(join(tmpdir(), "backroom-edge-"));
  const adminToken = randomBytes(24).toString("hex");
  const masterKey = randomBytes(32).toString("base64");
  const logs: string[] = [];
  await run(["d1", "migrations", "apply", "backroom", "--local", "--persist-to", persistTo], logs);

  const args = [
    "dev",
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    "--persist-to",
    persistTo,
    "--log-level",
    "warn",
    "--show-interactive-dev-session=false",
    "--var",
    `BACKROOM_ADMIN_TOKEN:${adminToken}`,
    "--var",
    `BACKROOM_MASTER_KEY:${masterKey}`,
    // Local mode: the fakes listen on 127.0.0.1 over http (worker/outbound/local-mode.ts).
    "--var",
    "BACKROOM_LOCAL:1",
  ];
  const child = spawn(NODE, [WRANGLER, ...args], { cwd: ROOT, env: QUIET_ENV, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.on("data", (d) => logs.push(String(d)));
  child.stderr?.on("data", (d) => logs.push(String(d)));

  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    killGroup(child, "SIGTERM");
    const exited = new Promise<void>((ok) => (child.exitCode !== null ? ok() : child.once("exit", () => ok())));
    const timer = setTimeout(() => killGroup(child, "SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
    // workerd children may outlive wrangler by a moment; make sure the group is gone.
    killGroup(child, "SIGKILL");
    rmSync(persistTo, { recursive: true, force: true });
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      rmSync(persistTo, { recursive: true, force: true });
      throw new Error(`wrangler dev exited ${child.exitCode} before it was healthy:\n${logs.join("")}`);
    }
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`wrangler dev not healthy on ${url} after ${timeoutMs} ms:\n${logs.join("")}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, adminToken, persistTo, log: () => logs.join(""), stop };
}
