import type { Fmt } from "../format";
import type { PromiseAnswer } from "./requests";
import { describeLine, describeRule } from "./summary";

/** Inside the availability box (`.b.open`, a flex column of fixed height): the parts take what is left and scroll. */
const PROMISE_CSS = ".pr{flex:1;min-height:0;display:flex;flex-direction:column}[data-violation]{color:var(--backroom-bad,#b42318)}";
import { promiseWords } from "./words";

export interface PromiseProps {
  answer: PromiseAnswer;
  fmt: Fmt;
  /** The product's sales unit and rule from its availability (the unit's factor is only there). */
  unit?: { name: string; factor: string };
  rule?: { min: string; increment: string };
  /** A warehouse code as the shopper knows it (the availability's warehouse names). */
  name: (code: string) => string;
}

/** The status dot's colour for a line: all today green, all dated blue, some undated amber, not orderable as asked red. */
export const lineStatus = (line: PromiseAnswer["lines"][number], today: string): string =>
  line.violation ? "out_of_stock" : line.completeDate === null ? "low_stock" : line.completeDate <= today ? "in_stock" : "backorder";

/**
 * The dated promise for the quantity the shopper asks for, in the availability box's place and
 * height (its parts scroll when long): "For 50: complete by 2 April", "12 ship today (Berlin)",
 * "30 on 14 March", "8 backordered", and the ERP's rule ("Sold per case of 12 · minimum 2").
 */
export function PromiseView({ answer, fmt, unit, rule, name }: PromiseProps) {
  const line = answer.lines[0];
  if (!line) return null;
  const w = promiseWords(fmt.locale);
  const words = describeLine(line, fmt, w, answer.today, name);
  const terms = describeRule(w, fmt, unit, rule);
  const status = lineStatus(line, answer.today);
  return (
    <div class="pr" data-promise data-sku={line.sku} data-qty={line.qty}>
      <style>{PROMISE_CSS}</style>
      <div aria-live="polite" aria-atomic="true">
        <span class={`s ${status}`} data-status={status}>
          {words.head}
        </span>
      </div>
      {words.violation ? (
        <div data-violation>{words.violation}</div>
      ) : (
        <ul>
          {words.parts.map((p) => (
            <li key={p} data-part>
              {p}
            </li>
          ))}
        </ul>
      )}
      {terms && (
        <div class="m" data-rule>
          {terms}
        </div>
      )}
    </div>
  );
}
