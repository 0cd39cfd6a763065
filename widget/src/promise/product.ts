import type { signal as Signal } from "@preact/signals-core";
import type { VNode } from "preact";
import type { AvailabilityItem } from "../api";
import type { Fmt } from "../format";
import { fetchPromise, type PromiseAnswer } from "./requests";
import { PromiseView } from "./view";

/**
 * The product page's promise (issue 12): for the selected variant's availability item and the
 * quantity asked, the dated promise view, asked once per SKU and quantity. While the next answer is
 * on its way the last one for the same SKU stays, so nothing flickers back to the availability view.
 * Null until there is an answer, or when the edge does not know the SKU (the box then shows
 * availability as before).
 */
export function productPromise(fmt: Fmt, base: string, signal: typeof Signal, abort: AbortSignal): (item: AvailabilityItem, qty: string) => VNode | null {
  /** Answers by `sku|qty`; null: the edge did not answer (or does not know the SKU). */
  const answers = signal(new Map<string, PromiseAnswer | null>());
  const asked = new Set<string>();
  const lastFor = new Map<string, PromiseAnswer>();
  const ask = (sku: string, qty: string, key: string): void => {
    asked.add(key);
    fetchPromise(base, sku, qty, abort)
      .catch(() => undefined)
      .then((answer) => {
        if (abort.aborted) return;
        const next = new Map(answers.value);
        next.set(key, answer ?? null);
        answers.value = next;
      });
  };
  return (item, qty) => {
    const key = `${item.sku}|${qty}`;
    if (!asked.has(key)) ask(item.sku, qty, key);
    const have = answers.value.get(key);
    if (have) lastFor.set(item.sku, have);
    const answer = have === undefined ? lastFor.get(item.sku) : have;
    if (!answer) return null;
    const names = new Map(item.warehouses.map((w) => [w.code, w.name]));
    return PromiseView({ answer, fmt, unit: item.unit, rule: item.rule, name: (code) => names.get(code) ?? code });
  };
}
