import type { PulledRow, PullResource } from "./apply";
import type { RecordError } from "./runs";

/** One ERP record mapped onto an ingest row, or why it could not be. */
export type Mapped<T> = { ok: true; row: T } | { ok: false; error: Omit<RecordError, "resource"> };

export const fail = (record: string, code: string, message: string): Mapped<never> => ({ ok: false, error: { record, code, message } });

/** Sorts mapped records into rows for the ingest plan and per-record errors; one bad record never blocks the rest. */
export function split<T>(resource: PullResource, mapped: ReadonlyArray<Mapped<T>>, refOf: (i: number) => string): { rows: PulledRow[]; errors: RecordError[] } {
  const rows: PulledRow[] = [];
  const errors: RecordError[] = [];
  mapped.forEach((m, i) => {
    if (m.ok) rows.push({ ref: refOf(i), row: m.row });
    else errors.push({ resource, ...m.error });
  });
  return { rows, errors };
}
