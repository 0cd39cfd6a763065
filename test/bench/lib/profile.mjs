/**
 * A CPU profile of one workerd isolate for benchmarks, over workerd's inspector (the Chrome DevTools
 * protocol: `Profiler.start` / `Profiler.stop` on the isolate's websocket). Miniflare starts workerd
 * with `--inspector-addr` when given `inspectorPort`; each worker (service) is one target, and a
 * worker's Durable Objects run in its isolate, so the edge worker's profile holds its requests and its
 * pool objects' JavaScript. Loopback only; used by `scale.mjs --profile`.
 */
import { writeFileSync } from "node:fs";

/** The inspector targets (one per isolate: each worker of the process, Miniflare's own included) on 127.0.0.1:`port`. */
export async function targets(port) {
  const list = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
  return list.map((t) => ({ name: String(t.id ?? t.title), url: String(t.webSocketDebuggerUrl) }));
}

/** Connects to one inspector target (its websocket `url`). */
export async function inspect(url) {
  const ws = new WebSocket(url);
  await new Promise((ok, fail) => {
    ws.addEventListener("open", ok, { once: true });
    ws.addEventListener("error", fail, { once: true });
  });
  let id = 0;
  const waiting = new Map();
  ws.addEventListener("message", (event) => {
    const message = JSON.parse(String(event.data));
    const done = waiting.get(message.id);
    if (!done) return;
    waiting.delete(message.id);
    if (message.error) done.fail(new Error(JSON.stringify(message.error)));
    else done.ok(message.result);
  });
  const send = (method, params = {}) =>
    new Promise((ok, fail) => {
      const at = ++id;
      waiting.set(at, { ok, fail });
      ws.send(JSON.stringify({ id: at, method, params }));
    });
  await send("Profiler.enable");
  await send("Profiler.setSamplingInterval", { interval: 200 });
  return {
    start: () => send("Profiler.start"),
    /** Stops the profile, writes it to `path` (open it in Chrome DevTools) and answers it. */
    async stop(path) {
      const { profile } = await send("Profiler.stop");
      if (path) writeFileSync(path, JSON.stringify(profile));
      return profile;
    },
    close: () => ws.close(),
  };
}

const nameOf = (frame) => `${frame.functionName || "(anonymous)"} ${String(frame.url).split("/").pop()}:${frame.lineNumber + 1}`;

/**
 * A sample's weight, at most this (µs). workerd runs every isolate of the process on one thread: the
 * profiler only samples while this isolate is entered, and the time until its next sample (spent in
 * other isolates: D1, the cache, other workers) would otherwise be charged to the last sample taken.
 */
const SAMPLE_CAP_US = 1_000;

/**
 * Where the sampled time went: each function's self time and its total time (itself and what it
 * called, counted once however deep it recurses), in ms (each sample weighing the time to the next
 * one, at most SAMPLE_CAP_US: an estimate of this isolate's own CPU), the largest first.
 */
export function summarize(profile, top = 40) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfMs = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfMs.set(id, (selfMs.get(id) ?? 0) + Math.min(profile.timeDeltas[i + 1] ?? 0, SAMPLE_CAP_US) / 1000);
  }
  const self = new Map();
  const total = new Map();
  for (const [id, ms] of selfMs) {
    const node = byId.get(id);
    const name = nameOf(node.callFrame);
    self.set(name, (self.get(name) ?? 0) + ms);
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const n = nameOf(byId.get(at).callFrame);
      if (seen.has(n)) continue;
      seen.add(n);
      total.set(n, (total.get(n) ?? 0) + ms);
    }
  }
  const sorted = (m) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => ({ name, ms: Math.round(ms * 10) / 10 }));
  const idle = self.get(nameOf({ functionName: "(idle)", url: "", lineNumber: 0 })) ?? 0;
  const sampled = [...selfMs.values()].reduce((a, b) => a + b, 0) - idle;
  return { samples: profile.samples.length, sampledMs: Math.round(sampled), self: sorted(self), total: sorted(total) };
}
