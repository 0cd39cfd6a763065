import { useSignal } from "@preact/signals";
import type { PromiseAnswer } from "../../../worker/contract";
import { promiseLines } from "./promise-lines";

/**
 * The product panel's "can we promise N?" (issue 12): staff type a quantity in the shop's sales unit
 * and see what ships now from which warehouse, what follows from which receipts, and what nothing
 * covers yet, as the edge's promise answers it.
 */

export function PromiseCheck({ sku, onPromise }: { sku: string; onPromise: (sku: string, qty: string) => Promise<PromiseAnswer | string> }) {
  const qty = useSignal("1");
  const busy = useSignal(false);
  const result = useSignal<string[] | undefined>(undefined);
  const check = async (e: Event) => {
    e.preventDefault();
    busy.value = true;
    const r = await onPromise(sku, qty.value.trim());
    result.value = typeof r === "string" ? [r] : promiseLines(r);
    busy.value = false;
  };
  return (
    <form data-field="promise" onSubmit={check}>
      <label>
        Promise for <input type="text" inputMode="decimal" size={5} value={qty} onInput={(e) => (qty.value = e.currentTarget.value)} aria-label="Quantity" />
      </label>{" "}
      <button type="submit" class="inline" disabled={busy}>
        {busy.value ? "Checking…" : "Check"}
      </button>
      {result.value ? (
        <ul data-field="promiseLines">
          {result.value.map((l) => (
            <li key={l}>{l}</li>
          ))}
        </ul>
      ) : null}
    </form>
  );
}
