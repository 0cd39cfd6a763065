import { useState } from "preact/hooks";
import type { QualityItem, QualityKind, QualityReport } from "../../../worker/contract/quality";
import { QUALITY_LABELS } from "./quality-labels";

/** The alias one click would create for a finding: an unmapped shop SKU and its best suggested ERP SKU. */
export function proposedAlias(i: QualityItem): { alias: string; sku: string } | undefined {
  const alias = i.fields.sku;
  const sku = i.suggestions?.[0]?.sku;
  return i.kind === "unmapped_sku" && typeof alias === "string" && alias !== "" && sku ? { alias, sku } : undefined;
}

/** Accepts a suggestion at the edge; answers an error message, or undefined when the alias was created. */
export type AcceptAlias = (alias: string, sku: string) => Promise<string | undefined>;

function AcceptButton({ alias, sku, onAccept }: { alias: string; sku: string; onAccept: AcceptAlias }) {
  const [state, setState] = useState<{ busy?: boolean; done?: boolean; error?: string }>({});
  if (state.done)
    return (
      <span data-field="aliasAccepted">
        {" "}
        · {alias} now sells {sku}
      </span>
    );
  return (
    <>
      {" "}
      <button
        type="button"
        data-action="acceptAlias"
        disabled={state.busy}
        onClick={async () => {
          setState({ busy: true });
          const error = await onAccept(alias, sku);
          setState(error ? { error } : { done: true });
        }}
      >
        Use {sku}
      </button>
      {state.error && <span role="alert"> {state.error}</span>}
    </>
  );
}

/**
 * The product list's data-quality summary (issue 15): a badge with the number of findings, amber
 * when there are any, and under it the count per kind and the first findings; an unmapped shop SKU
 * with a suggested match takes it in one click (a SKU alias at the edge). Collapsed: the admin's
 * own list stays where it was.
 */
export function QualitySummary({ report, onAccept }: { report: QualityReport; onAccept: AcceptAlias }) {
  const kinds = Object.entries(report.counts).filter((e): e is [QualityKind, number] => e[1] > 0);
  return (
    <details class="quality" data-backroom="quality">
      <summary>
        <span class={`badge ${report.total > 0 ? "low_stock" : "in_stock"}`} data-field="qualityCount">
          {report.total > 0 ? `Data quality: ${report.total} to fix` : "Data quality: nothing to fix"}
        </span>
      </summary>
      {kinds.length > 0 && (
        <ul data-field="qualityKinds">
          {kinds.map(([kind, n]) => (
            <li key={kind} data-kind={kind}>
              {QUALITY_LABELS[kind]}: {n}
            </li>
          ))}
        </ul>
      )}
      {report.items.length > 0 && (
        <ol data-field="qualityItems">
          {report.items.map((i) => {
            const proposed = proposedAlias(i);
            return (
              <li key={`${i.kind}:${i.ref}`} data-kind={i.kind}>
                <b>{QUALITY_LABELS[i.kind]}</b> {i.title}
                {proposed ? <AcceptButton {...proposed} onAccept={onAccept} /> : i.suggestions?.[0] ? ` (maybe ${i.suggestions[0].sku})` : ""}
              </li>
            );
          })}
        </ol>
      )}
    </details>
  );
}
