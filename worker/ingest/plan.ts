import type { RowRejection } from "../contract";

/**
 * What one ERP push will write: statements for one D1 batch (one transaction). A statement that
 * carries `row` decides that row's fate by its changed-row count: 1 applied, 0 stale (the stored
 * version was equal or higher). A statement that carries `rows` writes many rows at once; the rows
 * it inserted or updated itself (SQLite's changes() right after it) applied, the others were stale.
 */
export interface Step {
  stmt: D1PreparedStatement;
  row?: number;
  rows?: readonly number[];
}

export interface Plan {
  steps: Step[];
  rejected: RowRejection[];
  /** SKUs whose availability may have changed, for live fan-out. */
  touchedSkus: string[];
}

export const reject = (index: number, code: string, message: string): RowRejection => ({ index, code, message });
