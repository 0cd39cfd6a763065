import type { LinePromiseView, PromiseAnswer } from "../contract";
import { type LinePromise, promiseCart, type StockLine } from "./engine";
import { formatDecimal, parseDecimal } from "./quantity";
import { checkQuantity, LOOSE, orderableSalesUnits, type SalesRule, stockStep, toSalesUnits, toStockUnits } from "./sales-unit";
import type { PromiseSnapshot } from "./snapshot";

/** What no cart line can ask for more of: the promise of "everything" a SKU has now. */
const EVERYTHING = 1_000_000_000;

/**
 * The public promise for a cart (quantities in each product's sales unit): lines checked against
 * their quantity rules (a line that breaks one is answered with the violation and promised nothing),
 * the rest promised together by the engine, every figure turned back into the sales unit.
 */
export function answerCart(snapshot: PromiseSnapshot, lines: ReadonlyArray<{ sku: string; qty: string }>): PromiseAnswer {
  const prepared = lines.map((l) => {
    const sku = snapshot.resolved.get(l.sku) ?? l.sku;
    const sales = snapshot.sales.get(sku);
    const rule = sales?.rule ?? LOOSE;
    const qty = parseDecimal(l.qty) ?? { value: 0n, scale: 0 };
    const violation = checkQuantity(qty, rule);
    const stock: StockLine = { sku, qty: toStockUnits(qty, rule), step: sales?.components ? 1 : stockStep(rule) };
    return { asked: l, sku, rule, violation, stock, components: sales?.components };
  });
  const valid = prepared.filter((p) => !p.violation);
  const promised = promiseCart(
    snapshot.state,
    valid.map((p) => p.stock),
  );
  const bySlot = new Map(valid.map((p, i) => [p, promised[i]]));
  const views = prepared.map((p) => view(snapshot, p, bySlot.get(p)));
  const dates = views.map((v) => v.completeDate);
  return {
    lines: views,
    completeDate: dates.some((d) => d === null)
      ? null
      : (dates
          .filter((d): d is string => d !== null)
          .sort()
          .at(-1) ?? snapshot.state.today),
    today: snapshot.state.today,
  };
}

function view(
  snapshot: PromiseSnapshot,
  p: {
    asked: { qty: string };
    sku: string;
    rule: SalesRule;
    violation: LinePromiseView["violation"];
    stock: StockLine;
    components?: Array<{ sku: string; qty: number }>;
  },
  line: LinePromise | undefined,
): LinePromiseView {
  const sales = (n: number) => toSalesUnits(n, p.rule);
  // Orderable now on its own (outside this cart), in whole increments.
  const alone = promiseCart(snapshot.state, [{ sku: p.sku, qty: EVERYTHING, step: p.stock.step }])[0];
  const nowAlone = (alone?.now ?? []).reduce((n, x) => n + x.qty, 0);
  return {
    sku: p.sku,
    qty: formatDecimal(parseDecimal(p.asked.qty) ?? { value: 0n, scale: 0 }),
    ...(p.rule.unit ? { unit: p.rule.unit } : {}),
    rule: { min: formatDecimal(p.rule.min), increment: formatDecimal(p.rule.increment) },
    ...(p.violation ? { violation: p.violation } : {}),
    available: orderableSalesUnits(nowAlone, p.rule),
    now: (line?.now ?? []).map((x) => ({ warehouse: x.warehouse, qty: sales(x.qty), date: x.date })),
    dated: (line?.dated ?? []).map((x) => ({ warehouse: x.warehouse, qty: sales(x.qty), date: x.date, refs: x.refs })),
    unscheduled: sales(line?.unscheduled ?? 0),
    orderable: sales(line?.orderable ?? 0),
    backorder: line?.backorder ?? false,
    completeDate: line ? line.completeDate : null,
    ...(p.components ? { components: p.components } : {}),
  };
}
