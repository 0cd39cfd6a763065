import type { QualityKind, QualityReport } from "../../../worker/contract/quality";
import { QUALITY_LABELS } from "./quality-labels";

/**
 * The product list's data-quality summary (issue 15): a badge with the number of findings, amber
 * when there are any, and under it the count per kind and the first findings with their suggested
 * matches. Collapsed: the admin's own list stays where it was.
 */
export function QualitySummary({ report }: { report: QualityReport }) {
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
          {report.items.map((i) => (
            <li key={`${i.kind}:${i.ref}`} data-kind={i.kind}>
              <b>{QUALITY_LABELS[i.kind]}</b> {i.title}
              {i.suggestions?.[0] ? ` (maybe ${i.suggestions[0].sku})` : ""}
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}
