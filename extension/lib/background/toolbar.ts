import type { SyncHealth } from "../../../worker/contract";

/** Deliveries that need a look, summed over the shops: failed ones (red) and ones the queue is still retrying (amber). */
export interface FailureCount {
  failed: number;
  retrying: number;
}

export function countFailures(healths: ReadonlyArray<SyncHealth | undefined>): FailureCount {
  return healths.reduce<FailureCount>((sum, h) => ({ failed: sum.failed + (h?.failed ?? 0), retrying: sum.retrying + (h?.retrying ?? 0) }), {
    failed: 0,
    retrying: 0,
  });
}

/** The toolbar icon's badge: the count of failing and retrying deliveries, red when any failed, amber while only retrying; none when all is well. */
export function toolbarBadge(c: FailureCount): { text: string; color: string; title: string } | undefined {
  const n = c.failed + c.retrying;
  if (n === 0) return undefined;
  const parts = [c.failed > 0 ? `${c.failed} failed` : "", c.retrying > 0 ? `${c.retrying} retrying` : ""].filter(Boolean);
  return {
    text: n > 999 ? "999+" : String(n),
    color: c.failed > 0 ? "#b3261e" : "#8a4b00",
    title: `Backroom: ${parts.join(", ")} deliveries to the ERP`,
  };
}
