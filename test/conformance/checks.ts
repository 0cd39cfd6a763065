/**
 * The conformance suite's result: one row per check with the figures that decided it, printed as a
 * table. A check that throws is a failed row with the error as its figure, so one broken step never
 * hides the rest of the table.
 */

export interface CheckRow {
  name: string;
  ok: boolean;
  figures: string;
}

export class Checks {
  readonly rows: CheckRow[] = [];

  add(name: string, ok: boolean, figures: string): boolean {
    this.rows.push({ name, ok, figures });
    console.error(`${ok ? "pass" : "FAIL"}  ${name}: ${figures}`);
    return ok;
  }

  /** Runs `body`; an exception becomes a failed row named `name`. */
  async step(name: string, body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (e) {
      this.add(name, false, `error: ${e instanceof Error ? e.message : String(e)}`.slice(0, 300));
    }
  }

  get failed(): number {
    return this.rows.filter((r) => !r.ok).length;
  }
}

/** A plain-text table (also valid Markdown), one row per check. */
export function formatTable(title: string, rows: readonly CheckRow[]): string {
  const head = ["check", "result", "figures"];
  const body = rows.map((r) => [r.name, r.ok ? "pass" : "FAIL", r.figures.replaceAll("|", "/")]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  const passed = rows.filter((r) => r.ok).length;
  return [`${title}: ${passed}/${rows.length} checks pass`, line(head), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}
