import type { z } from "zod";
import type { RowRejection } from "../contract";
import { FAIL, fastParser } from "./fast-parse";
import { reject } from "./plan";
import { VERSION_IN_FUTURE, versionInFuture } from "./version-bound";

export type Rows<T> = Array<{ index: number; row: T }>;

/**
 * Checks each row of an ERP push on its own: the good ones go on, each bad one becomes a rejection
 * with its index. Rows are numbered across the whole body (for prices: lists first, then prices).
 * A row the fast check accepts is parsed exactly as zod parses it; every other row goes to zod, which
 * decides and words the rejection (./fast-parse.ts).
 */
export function splitRows<T extends object>(
  schema: z.ZodType<T>,
  raw: readonly unknown[],
  now: number,
  offset = 0,
): { rows: Rows<T>; rejected: RowRejection[] } {
  const rows: Rows<T> = [];
  const rejected: RowRejection[] = [];
  const fast = fastParser(schema);
  raw.forEach((value, i) => {
    let row = fast(value);
    if (row === FAIL) {
      const parsed = schema.safeParse(value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        rejected.push(reject(offset + i, "invalid_row", issue ? `${issue.path.join(".") || "row"}: ${issue.message}` : "invalid row"));
        return;
      }
      row = parsed.data;
    }
    const future = versionInFuture(row, now);
    if (future) rejected.push(reject(offset + i, VERSION_IN_FUTURE, future));
    else rows.push({ index: offset + i, row });
  });
  return { rows, rejected };
}
