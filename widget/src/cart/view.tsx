import type { Fmt } from "../format";
import type { PromiseAnswer } from "../promise/requests";
import { describeLine } from "../promise/summary";
import { lineStatus } from "../promise/view";
import { promiseWords } from "../promise/words";
import type { CartLine } from "./payload";

/** The cart box's own rules: a fixed height (`--backroom-cart-height`), the list of lines scrolling inside it. */
const CART_CSS = ".c{height:var(--backroom-cart-height,10rem);display:flex;flex-direction:column}.c ul{flex:1;min-height:0;overflow:auto}.c li{margin:.1rem 0}";

export interface CartPromiseProps {
  fmt: Fmt;
  lines: CartLine[];
  /** The promise for the lines that have a SKU the edge knows, keyed by the cart line's key. */
  promised: Map<string, PromiseAnswer["lines"][number]>;
  /** When the whole cart can ship (null: some of it has no date), and the edge's today. */
  completeDate: string | null;
  today: string;
  name: (code: string) => string;
}

/**
 * One box listing the cart's lines, each with its promise: "Starter kit × 2: 2 ship today (Berlin)",
 * "Olive soap × 3: 2 ship today (Berlin) · 1 on 9 December". A line without a SKU, or one the
 * edge does not know, says there is no estimate for it.
 */
export function CartPromiseView({ fmt, lines, promised, completeDate, today, name }: CartPromiseProps) {
  const w = promiseWords(fmt.locale);
  const status = completeDate === null ? "low_stock" : completeDate <= today ? "in_stock" : "backorder";
  const when = completeDate === null ? w("notAll") : completeDate <= today ? w("allToday") : w("allBy", { d: fmt.day(completeDate) });
  return (
    <div class="b c" data-cart-promise>
      <style>{CART_CSS}</style>
      <div aria-live="polite" aria-atomic="true">
        <span class={`s ${status}`} data-status={status}>
          {`${w("cart")} ${when}`}
        </span>
      </div>
      <ul>
        {lines.map((l) => {
          const line = promised.get(l.key);
          const said = line && describeLine(line, fmt, w, today, name);
          const text = said ? (said.violation ?? said.parts.join(" · ")) : w("noSku");
          return (
            <li key={l.key} data-line-sku={l.sku ?? ""} data-line-status={line ? lineStatus(line, today) : "none"}>
              <b>{w("cartLine", { u: l.title, n: fmt.qty(Number(l.qty)) })}</b>
              {`: ${text}`}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
