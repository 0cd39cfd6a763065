/**
 * The bench table: rows `{ name, value, unit, goal?, ok? }`. A goal is a string like ">= 0.8",
 * "<= 50" (also "≥"/"≤"/">"/"<") or a bare number meaning "at least"; `ok` is computed from it
 * unless the row brings its own.
 */
const OPS = { ">=": (v, g) => v >= g, "≥": (v, g) => v >= g, ">": (v, g) => v > g, "<=": (v, g) => v <= g, "≤": (v, g) => v <= g, "<": (v, g) => v < g };

export function meetsGoal(row) {
  if (typeof row.ok === "boolean") return row.ok;
  if (row.goal === undefined || row.goal === null || row.goal === "") return undefined;
  if (typeof row.value !== "number" || !Number.isFinite(row.value)) return false;
  if (typeof row.goal === "number") return row.value >= row.goal;
  const m = /^\s*(>=|<=|≥|≤|>|<)\s*(-?[\d.,_]+)\s*$/.exec(String(row.goal));
  if (!m) return undefined;
  return OPS[m[1]](row.value, Number(m[2].replace(/[,_]/g, "")));
}

export function withOk(rows) {
  return rows.map((r) => ({ ...r, ok: meetsGoal(r) }));
}

export function printTable(rows) {
  const data = withOk(rows).map((r) => [
    String(r.name),
    typeof r.value === "number" ? r.value.toLocaleString("en-US") : String(r.value ?? ""),
    String(r.unit ?? ""),
    r.goal === undefined ? "" : String(r.goal),
    r.ok === undefined ? "" : r.ok ? "yes" : "NO",
  ]);
  const head = ["name", "value", "unit", "goal", "ok?"];
  const widths = head.map((h, i) => Math.max(h.length, ...data.map((d) => d[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => (i === 1 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(" | ")} |`;
  console.log(line(head));
  console.log(`|${widths.map((w, i) => (i === 1 ? `${"-".repeat(w + 1)}:` : "-".repeat(w + 2))).join("|")}|`);
  for (const d of data) console.log(line(d));
}
