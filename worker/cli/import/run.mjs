import { randomBytes } from "node:crypto";
import { createReadStream, readFileSync, statSync } from "node:fs";
import { CsvParser, sniffDelimiter } from "./csv.mjs";
import { sendPush } from "./push.mjs";
import { KINDS, resolveColumns, toRow } from "./rows.mjs";

/** Rows per push by default: well under the edge's 10,000-row and 8 MB limits. */
export const DEFAULT_BATCH = 5_000;

/**
 * Imports a CSV or JSON file into a shop through the signed ERP push API: maps each record to a
 * push row, sends batches (a few at a time), and collects what the edge answered per row, by the
 * file's own line numbers (CSV) or item numbers (JSON, 1-based).
 *
 * @returns {Promise<{ rows: number, applied: number, stale: number, rejected: Array<{ line: number, code: string, message: string }>, duplicates: number, seconds: number }>}
 */
export async function runImport(opts) {
  const {
    file,
    shop,
    kind,
    edge,
    secret,
    mapping = {},
    batchSize = DEFAULT_BATCH,
    concurrency = 3,
    currency,
    createWarehouses = false,
    onProgress = () => {},
  } = opts;
  const spec = KINDS[kind];
  if (!spec) throw new Error(`--kind must be one of ${Object.keys(KINDS).join(", ")}`);
  if (batchSize < 1 || batchSize > 10_000) throw new Error("--batch must be between 1 and 10000");
  const started = performance.now();
  const version = Date.now();
  const runId = randomBytes(6).toString("hex");
  const summary = { rows: 0, applied: 0, stale: 0, rejected: [], duplicates: 0, seconds: 0 };
  const size = statSync(file).size;
  let bytes = 0;
  let batch = [];
  let batchNo = 0;
  const inFlight = new Set();
  const knownLists = new Set();
  const knownWarehouses = new Set();
  let failure;

  const dispatch = async (rows) => {
    const n = batchNo++;
    const lists = [];
    if (kind === "prices") {
      for (const r of rows) {
        if (knownLists.has(r.list.id)) continue;
        const cur = r.list.currency ?? currency;
        if (!cur) throw new Error(`price list "${r.list.id}" has no currency: add a currency column or --currency EUR`);
        knownLists.add(r.list.id);
        lists.push({ id: r.list.id, name: r.list.name, currency: cur });
      }
    }
    if (kind === "stock" && createWarehouses) {
      const fresh = [...new Set(rows.map((r) => r.row.warehouse))].filter((w) => !knownWarehouses.has(w));
      if (fresh.length > 0) {
        for (const w of fresh) knownWarehouses.add(w);
        // Warehouses first, and before any stock that needs them is in flight.
        await Promise.all(inFlight);
        const res = await sendPush({
          edge,
          shop,
          secret,
          resource: "warehouses",
          body: { warehouses: fresh.map((code) => ({ code, name: code })) },
          id: `imp_${runId}_wh${n}`,
        });
        if (res.status !== 200) throw new Error(`creating warehouses failed: ${JSON.stringify(res.body).slice(0, 300)}`);
      }
    }
    const body = kind === "prices" ? { ...(lists.length ? { lists } : {}), prices: rows.map((r) => r.row) } : { [spec.key]: rows.map((r) => r.row) };
    const offset = kind === "prices" ? lists.length : 0;
    const lineOf = (index) => rows[index - offset]?.line ?? rows[0]?.line ?? 0;
    const res = await sendPush({ edge, shop, secret, resource: spec.resource, body, id: `imp_${runId}_${n}` });
    if (res.status === 422) {
      const detailed = new Set();
      for (const r of res.body?.error?.details?.rejected ?? []) {
        detailed.add(r.index);
        summary.rejected.push({ line: lineOf(r.index), code: r.code, message: r.message });
      }
      rows.forEach((r, i) => {
        if (!detailed.has(i + offset)) summary.rejected.push({ line: r.line, code: "all_rows_rejected", message: "every row of its batch was rejected" });
      });
      return;
    }
    if (res.body.duplicate) summary.duplicates++;
    summary.applied += res.body.applied;
    summary.stale += res.body.stale;
    for (const r of res.body.rejected) summary.rejected.push({ line: lineOf(r.index), code: r.code, message: r.message });
  };

  const flush = async () => {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    while (inFlight.size >= concurrency) await Promise.race(inFlight);
    if (failure) throw failure;
    const p = dispatch(rows)
      .catch((e) => {
        failure ??= e;
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  };

  const take = async (line, get, columns) => {
    summary.rows++;
    const r = toRow(kind, columns, get, version);
    if (r.error) summary.rejected.push({ line, code: "invalid_value", message: r.error });
    else batch.push({ line, row: r.row, list: r.list });
    if (batch.length >= batchSize) await flush();
  };

  if (/\.json$/i.test(file)) {
    const json = JSON.parse(readFileSync(file, "utf8"));
    const items = Array.isArray(json) ? json : (json[spec.key] ?? json.items ?? json.rows);
    if (!Array.isArray(items)) throw new Error(`the JSON file must be an array of objects or { "${spec.key}": [...] }`);
    const headers = [...new Set(items.slice(0, 1000).flatMap((o) => (o && typeof o === "object" ? Object.keys(o) : [])))];
    const columns = resolveColumns(kind, headers, mapping);
    for (let i = 0; i < items.length; i++) {
      const o = items[i] ?? {};
      await take(i + 1, (c) => o[headers[c]], columns);
      if (i % 1000 === 0) onProgress({ bytes: Math.round((i / items.length) * size), size, rows: summary.rows });
    }
  } else {
    let parser;
    let columns;
    let headers;
    for await (const chunk of createReadStream(file, { encoding: "utf8", highWaterMark: 256 * 1024 })) {
      bytes += Buffer.byteLength(chunk);
      parser ??= new CsvParser({ delimiter: opts.delimiter ?? sniffDelimiter(chunk.split(/\r?\n/, 1)[0] ?? "") });
      for (const rec of parser.push(chunk)) {
        if (!columns) {
          headers = rec.fields.map((h) => h.trim());
          columns = resolveColumns(kind, headers, mapping);
          continue;
        }
        await take(rec.line, (c) => rec.fields[c], columns);
      }
      onProgress({ bytes, size, rows: summary.rows });
    }
    for (const rec of parser?.end() ?? []) {
      if (!columns) {
        headers = rec.fields.map((h) => h.trim());
        columns = resolveColumns(kind, headers, mapping);
        continue;
      }
      await take(rec.line, (c) => rec.fields[c], columns);
    }
    if (!columns) throw new Error("the file is empty: a header line is needed");
  }
  await flush();
  await Promise.all(inFlight);
  if (failure) throw failure;
  summary.rejected.sort((a, b) => a.line - b.line);
  summary.seconds = (performance.now() - started) / 1000;
  onProgress({ bytes: size, size, rows: summary.rows, done: true });
  return summary;
}
