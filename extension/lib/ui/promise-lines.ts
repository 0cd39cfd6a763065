import type { PromiseAnswer } from "../../../worker/contract";
import { day } from "./format";

/** The promise of one line as short lines of text (what the panel shows, in order). */
export function promiseLines(answer: PromiseAnswer): string[] {
  const line = answer.lines[0];
  if (!line) return [];
  const unit = line.unit ? ` ${line.unit}` : "";
  if (line.violation) return [line.violation.message];
  const out = [
    ...line.now.map((p) => `${p.qty}${unit} now from ${p.warehouse}, ships ${day(p.date)}`),
    ...line.dated.map((p) => `${p.qty}${unit} on ${day(p.date)} at ${p.warehouse}${p.refs.length > 0 ? ` (${p.refs.join(", ")})` : ""}`),
  ];
  if (line.unscheduled !== "0") out.push(`${line.unscheduled}${unit} not covered by stock or any receipt`);
  if (line.components) out.push(`Kit of ${line.components.map((c) => `${c.qty} × ${c.sku}`).join(" + ")}`);
  out.push(line.completeDate ? `Complete by ${day(line.completeDate)}` : line.backorder ? "Orderable now as a backorder" : "Cannot be promised complete");
  return out;
}
