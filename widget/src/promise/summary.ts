import type { Fmt } from "../format";
import type { LinePromiseView } from "./requests";
import type { PromiseWords } from "./words";

/** One promised line in words: the headline, what ships when, and why it cannot be ordered as asked. */
export interface LineWords {
  /** "For 50: complete by 14 March". */
  head: string;
  /** "12 ship today (Berlin)", "30 on 14 March", "8 backordered". */
  parts: string[];
  /** "Order at least 2": the quantity breaks the ERP's rule (nothing is promised then). */
  violation?: string;
}

const num = (fmt: Fmt, decimal: string): string => fmt.qty(Number(decimal));

/** Sums the parts of one kind by date, in date order, with the warehouses each came from. */
function byDate(parts: ReadonlyArray<{ warehouse: string; qty: string; date: string }>): Array<{ date: string; qty: number; from: string[] }> {
  const out = new Map<string, { date: string; qty: number; from: string[] }>();
  for (const p of parts) {
    const at = out.get(p.date) ?? { date: p.date, qty: 0, from: [] };
    at.qty += Number(p.qty);
    if (!at.from.includes(p.warehouse)) at.from.push(p.warehouse);
    out.set(p.date, at);
  }
  return [...out.values()].sort((a, b) => (a.date < b.date ? -1 : 1));
}

/**
 * The words for one line of a promise answer. `today` is the edge's day (the answer's `today`),
 * `name` turns a warehouse code into the name the shopper knows (the availability's warehouse names).
 *
 * @example
 * describeLine(line, fmt, words, answer.today, (code) => code)
 * // { head: "For 50: complete by 2 April", parts: ["12 ship today (BER)", "30 on 14 March", "8 on 2 April"] }
 */
export function describeLine(line: LinePromiseView, fmt: Fmt, w: PromiseWords, today: string, name: (code: string) => string): LineWords {
  const n = num(fmt, line.qty);
  const when = line.completeDate === null ? w("notAll") : line.completeDate <= today ? w("allToday") : w("allBy", { d: fmt.day(line.completeDate) });
  if (line.violation) {
    const violation =
      line.violation.code === "below_minimum" ? w("belowMin", { n: num(fmt, line.rule.min) }) : w("notMultiple", { n: num(fmt, line.rule.increment) });
    return { head: w("forQty", { n }), parts: [], violation };
  }
  const parts = [
    ...byDate(line.now).map((p) => w(p.date <= today ? "nowToday" : "nowOn", { n: fmt.qty(p.qty), d: fmt.day(p.date), w: p.from.map(name).join(", ") })),
    ...byDate(line.dated).map((p) => w("dated", { n: fmt.qty(p.qty), d: fmt.day(p.date) })),
  ];
  if (Number(line.unscheduled) > 0) parts.push(w(line.backorder ? "backordered" : "unavailable", { n: num(fmt, line.unscheduled) }));
  return { head: `${w("forQty", { n })} ${when}`, parts };
}

/** The ERP's rule for a product in words: "Sold per case of 12 · minimum 2 · in steps of 2"; empty when it has none. */
export function describeRule(
  w: PromiseWords,
  fmt: Fmt,
  unit: { name: string; factor: string } | undefined,
  rule: { min: string; increment: string } | undefined,
): string {
  const words: string[] = [];
  if (unit) words.push(w("unit", { u: unit.name, n: num(fmt, unit.factor) }));
  if (rule && rule.min !== "1") words.push(w("min", { n: num(fmt, rule.min) }));
  if (rule && rule.increment !== "1") words.push(w("step", { n: num(fmt, rule.increment) }));
  return words.join(" · ");
}
