import { z } from "zod";
import type { ConnectorRun } from "../contract/connectors";
import { textColumn } from "../db/columns";

/** Connector runs, their record-level errors and the per-resource cursors, as plain D1 functions. */

export type RunKind = "pull" | "stock" | "webhook";
export type RunStatus = ConnectorRun["status"];

export interface RunTotals {
  fetched: number;
  applied: number;
  stale: number;
  rejected: number;
}

export interface RecordError {
  resource: string;
  record?: string;
  code: string;
  message: string;
  retryable?: boolean;
}

export async function startRun(db: D1Database, shop: string, connector: string, kind: RunKind, now: number): Promise<string> {
  const id = `run_${now.toString(36)}_${crypto.randomUUID().slice(0, 8)}`;
  await db
    .prepare("INSERT INTO connector_runs (id, shop_id, connector, kind, status, started_at) VALUES (?, ?, ?, ?, 'running', ?)")
    .bind(id, shop, connector, kind, now)
    .run();
  return id;
}

export async function finishRun(db: D1Database, id: string, status: RunStatus, totals: RunTotals, message: string | undefined, now: number): Promise<void> {
  await db
    .prepare("UPDATE connector_runs SET status = ?, fetched = ?, applied = ?, stale = ?, rejected = ?, message = ?, finished_at = ? WHERE id = ?")
    .bind(status, totals.fetched, totals.applied, totals.stale, totals.rejected, message?.slice(0, 1000) ?? null, now, id)
    .run();
}

/** Records errors in one batch; messages are cut to 500 characters. */
export async function recordErrors(db: D1Database, shop: string, runId: string, errors: readonly RecordError[], now: number): Promise<void> {
  if (errors.length === 0) return;
  const stmt = db.prepare("INSERT INTO connector_errors (run_id, shop_id, resource, record, code, message, retryable, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  for (let i = 0; i < errors.length; i += 100) {
    await db.batch(
      errors.slice(i, i + 100).map((e) => stmt.bind(runId, shop, e.resource, e.record ?? null, e.code, e.message.slice(0, 500), e.retryable ? 1 : 0, now)),
    );
  }
}

export async function getCursor(db: D1Database, shop: string, connector: string, resource: string): Promise<string | undefined> {
  const [cursor] = await textColumn(
    db.prepare("SELECT cursor FROM connector_cursors WHERE shop_id = ? AND connector = ? AND resource = ?").bind(shop, connector, resource),
  );
  return cursor;
}

export function setCursorStmt(db: D1Database, shop: string, connector: string, resource: string, cursor: string, now: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO connector_cursors (shop_id, connector, resource, cursor, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (shop_id, connector, resource) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`,
    )
    .bind(shop, connector, resource, cursor, now);
}

const RunRow = z.object({
  id: z.string(),
  connector: z.string(),
  kind: z.string(),
  status: z.enum(["running", "ok", "partial", "failed", "throttled"]),
  fetched: z.number(),
  applied: z.number(),
  stale: z.number(),
  rejected: z.number(),
  message: z.string().nullable(),
  started_at: z.number(),
  finished_at: z.number().nullable(),
});
const ErrorRow = z.object({
  run_id: z.string(),
  resource: z.string(),
  record: z.string().nullable(),
  code: z.string(),
  message: z.string(),
  retryable: z.number(),
  at: z.number(),
});
const CursorRow = z.object({ connector: z.string(), resource: z.string(), cursor: z.string(), updated_at: z.number() });

const iso = (ms: number) => new Date(ms).toISOString();

/** The latest runs of a shop with up to 50 errors each, newest first. */
export async function listRuns(db: D1Database, shop: string, limit: number): Promise<ConnectorRun[]> {
  const { results } = await db.prepare("SELECT * FROM connector_runs WHERE shop_id = ? ORDER BY started_at DESC, id DESC LIMIT ?").bind(shop, limit).all();
  const runs = results.map((r) => RunRow.parse(r));
  if (runs.length === 0) return [];
  const errs = await db
    .prepare(`SELECT * FROM connector_errors WHERE shop_id = ? AND run_id IN (${runs.map(() => "?").join(",")}) ORDER BY id LIMIT 2000`)
    .bind(shop, ...runs.map((r) => r.id))
    .all();
  const byRun = new Map<string, ConnectorRun["errors"]>();
  for (const raw of errs.results) {
    const e = ErrorRow.parse(raw);
    const list = byRun.get(e.run_id) ?? [];
    if (list.length < 50)
      list.push({
        resource: e.resource,
        ...(e.record ? { record: e.record } : {}),
        code: e.code,
        message: e.message,
        retryable: e.retryable === 1,
        at: iso(e.at),
      });
    byRun.set(e.run_id, list);
  }
  return runs.map((r) => ({
    id: r.id,
    connector: r.connector,
    kind: r.kind,
    status: r.status,
    fetched: r.fetched,
    applied: r.applied,
    stale: r.stale,
    rejected: r.rejected,
    ...(r.message ? { message: r.message } : {}),
    startedAt: iso(r.started_at),
    ...(r.finished_at ? { finishedAt: iso(r.finished_at) } : {}),
    errors: byRun.get(r.id) ?? [],
  }));
}

export async function listCursors(db: D1Database, shop: string): Promise<Array<{ connector: string; resource: string; cursor: string; updatedAt: string }>> {
  const { results } = await db
    .prepare("SELECT connector, resource, cursor, updated_at FROM connector_cursors WHERE shop_id = ? ORDER BY connector, resource")
    .bind(shop)
    .all();
  return results.map((raw) => {
    const c = CursorRow.parse(raw);
    return { connector: c.connector, resource: c.resource, cursor: c.cursor, updatedAt: iso(c.updated_at) };
  });
}
