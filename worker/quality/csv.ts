import type { QualityItem } from "../contract/quality";

/** One CSV field, quoted when it must be (RFC 4180); a leading = + - @ is defused for spreadsheets. */
const field = (v: string | number): string => {
  const s = typeof v === "number" ? String(v) : /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/**
 * Findings as CSV: kind, ref, title, then every field any of them has (in first-seen order). The
 * duplicate-customer rows are the merge suggestion for the ERP: `keep` and the ids to `merge` into it.
 */
export function qualityCsv(items: readonly QualityItem[]): string {
  const names: string[] = [];
  for (const i of items) for (const k of Object.keys(i.fields)) if (!names.includes(k)) names.push(k);
  const lines = [["kind", "ref", "title", ...names].join(",")];
  for (const i of items) lines.push([i.kind, i.ref, i.title, ...names.map((n) => i.fields[n] ?? "")].map(field).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
