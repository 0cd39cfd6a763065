import type { Step } from "./plan";

/**
 * Rows per many-row statement, and a bound on the JSON each statement carries (D1 caps a bound
 * value's size). One statement per row cost ≈ 90 µs of overhead a row; one per chunk amortises it.
 */
const CHUNK_ROWS = 500;
const CHUNK_BYTES = 256 * 1024;

export interface ChunkRow {
  /** The row's index in the push (rejections and results name it). */
  index: number;
  /** The row's values as a JSON array, in the order the statement reads them (`r.value ->> 0`, …). */
  values: unknown[];
}

/** One chunk: its rows' indices and their values as one JSON array. */
export interface Chunk {
  rows: number[];
  json: string;
}

/**
 * Splits rows into chunks of JSON, each bound into one statement (see `upsertMany` in the planners):
 * rows travel in push order, so equal keys inside a push meet exactly as they would one by one.
 */
export function chunksOf(rows: readonly ChunkRow[]): Chunk[] {
  const chunks: Chunk[] = [];
  let chunk: string[] = [];
  let indices: number[] = [];
  let bytes = 0;
  const flush = () => {
    if (indices.length === 0) return;
    chunks.push({ rows: indices, json: `[${chunk.join(",")}]` });
    chunk = [];
    indices = [];
    bytes = 0;
  };
  for (const { index, values } of rows) {
    const json = JSON.stringify(values);
    if (indices.length >= CHUNK_ROWS || bytes + json.length > CHUNK_BYTES) flush();
    chunk.push(json);
    indices.push(index);
    bytes += json.length + 1;
  }
  flush();
  return chunks;
}

/** One counted step per chunk: `applyPlan` counts what each statement applied with SQLite's changes() right after it. */
export const chunkSteps = (rows: readonly ChunkRow[], bind: (json: string) => D1PreparedStatement): Step[] =>
  chunksOf(rows).map(({ rows: indices, json }) => ({ row: indices[0], rows: indices, stmt: bind(json) }));
