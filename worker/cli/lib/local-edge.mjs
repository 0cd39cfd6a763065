import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { EdgeClient } from "./edge-client.mjs";

/** The repository root: this file lives in worker/cli/lib. */
export const ROOT = new URL("../../../", import.meta.url).pathname;
const WRANGLER = join(ROOT, "node_modules/.bin/wrangler");
const QUIET = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };

/** Reads `.dev.vars`, creating it with fresh operator secrets the first time. */
export function ensureDevVars(file = join(ROOT, ".dev.vars")) {
  if (!existsSync(file)) {
    const vars = `BACKROOM_ADMIN_TOKEN=${randomBytes(24).toString("hex")}\nBACKROOM_MASTER_KEY=${randomBytes(32).toString("base64")}\n`;
    writeFileSync(file, vars, { mode: 0o600 });
  }
  return Object.fromEntries(
    readFileSync(file, "utf8")
      .split("\n")
      .map((l) => /^([A-Z_]+)\s*=\s*"?([^"]*)"?\s*$/.exec(l))
      .filter(Boolean)
      .map((m) => [m[1], m[2]]),
  );
}

/** True when something already listens on 127.0.0.1:port. */
export function portTaken(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Applies the D1 migrations to local state (idempotent). */
export function applyMigrations(persistTo) {
  const persist = persistTo ? ["--persist-to", persistTo] : [];
  const res = spawnSync(WRANGLER, ["d1", "migrations", "apply", "DB", "--local", ...persist], {
    cwd: ROOT,
    env: { ...QUIET, CI: "true" },
    stdio: ["ignore", "pipe", "pipe"],
    encoding: "utf8",
  });
  if (res.status !== 0) throw new Error(`wrangler d1 migrations apply failed:\n${res.stdout}\n${res.stderr}`);
  if (/No migrations to apply/i.test(res.stdout)) return;
  // New indexes or tables: fresh statistics for the query planner (the 15-minute cron keeps them fresh).
  const optimize = spawnSync(WRANGLER, ["d1", "execute", "DB", "--local", ...persist, "--command", "PRAGMA optimize"], {
    cwd: ROOT,
    env: { ...QUIET, CI: "true" },
    stdio: ["ignore", "pipe", "pipe"],
    encoding: "utf8",
  });
  if (optimize.status !== 0) throw new Error(`PRAGMA optimize failed:\n${optimize.stdout}\n${optimize.stderr}`);
}

/**
 * Starts `wrangler dev` in local mode in its own process group and waits for /healthz.
 * `stop()` signals the whole group, so no workerd is left holding the port.
 */
export async function startWrangler({ port, persistTo, vars = {}, logLevel = "info", stdio = "inherit" }) {
  if (await portTaken(port)) throw new Error(`127.0.0.1:${port} is already in use (another \`npm start\`?). Stop it or set PORT.`);
  const args = ["dev", "--ip", "127.0.0.1", "--port", String(port), "--log-level", logLevel, "--show-interactive-dev-session=false"];
  if (persistTo) args.push("--persist-to", persistTo);
  // Local mode: connectors may reach loopback and plain-http hosts (worker/outbound/local-mode.ts).
  for (const [k, v] of Object.entries({ BACKROOM_LOCAL: "1", ...vars })) args.push("--var", `${k}:${v}`);
  const child = spawn(WRANGLER, args, { cwd: ROOT, env: QUIET, stdio: stdio === "inherit" ? ["ignore", "inherit", "inherit"] : "ignore", detached: true });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const stop = async () => {
    if (child.exitCode !== null) return;
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {}
    }, 5_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await Promise.race([new EdgeClient(url).waitUntilUp(60_000), exited.then((code) => Promise.reject(new Error(`wrangler dev exited with ${code}`)))]);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, child, stop };
}
