import type { OdooClient, OdooRecord } from "./client";
import { text } from "./map";

/**
 * The change cursor on Odoo's `write_date`. Odoo stores it with microseconds but reads it back in
 * whole seconds, and one call that writes many records gives them all the same stamp (the
 * transaction's start). So the cursor is a keyset on (second, id): "2026-11-23 10:00:00|42" means
 * every record changed before that second has been read, and in that second every id up to 42.
 * A second is drained in `id` order (`write_date >= s AND write_date < s+1 AND id > 42`), which
 * always progresses whatever the page size; what comes after it is read in `write_date, id` order,
 * where every second but the page's last is complete.
 *
 * A second is only final once it is over on Odoo's own clock (the `Date` of its answers) by
 * `SETTLE_SECONDS`: a record written later in the cursor's second with a lower id, or committed a
 * little after its stamp, is read again instead of skipped. Longer transactions are the snapshot's
 * job (see `snapshot.ts`).
 */
export const SETTLE_SECONDS = 15;
export const PAGE = 200;

export interface Cursor {
  at: string;
  id: number;
}

const SECOND = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\|(\d+)$/;

export const parseCursor = (c: string | undefined): Cursor | undefined => {
  const m = c ? SECOND.exec(c) : null;
  return m?.[1] && m[2] ? { at: m[1], id: Number(m[2]) } : undefined;
};
export const formatCursor = (c: Cursor): string => `${c.at}|${c.id}`;

const toMs = (at: string): number => Date.parse(`${at.replace(" ", "T")}Z`);
/** Unix ms as Odoo writes a datetime ("YYYY-MM-DD HH:MM:SS", UTC). */
export const toAt = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace("T", " ");
/** The second after `at`, in Odoo's format. */
export const nextSecond = (at: string): string => toAt(toMs(at) + 1000);
const secondOf = (r: OdooRecord): string => (text(r.write_date) ?? "1970-01-01 00:00:00").slice(0, 19);

/** A cursor at Odoo's clock (less the settle time): only what changes from now on. */
export const startingNow = (client: OdooClient): string => formatCursor({ at: toAt(client.serverTime() - SETTLE_SECONDS * 1000), id: 0 });

/**
 * Pages of `model` records changed since the cursor, oldest first, each with the cursor to save
 * after it. No record is skipped and no page is read twice in one run.
 */
export async function* changedSince(
  client: OdooClient,
  model: string,
  base: unknown[],
  fields: string[],
  cursor: string | undefined,
  page = PAGE,
): AsyncGenerator<{ records: OdooRecord[]; cursor: string }> {
  const wanted = [...new Set([...fields, "write_date"])];
  let c = parseCursor(cursor);
  for (;;) {
    if (c) {
      // Drain the cursor's second by id.
      const records = await client.searchRead(model, [...base, ["write_date", ">=", c.at], ["write_date", "<", nextSecond(c.at)], ["id", ">", c.id]], {
        fields: wanted,
        limit: page,
        order: "id asc",
      });
      const last = records.at(-1);
      if (last) {
        c = { at: c.at, id: last.id };
        yield { records, cursor: formatCursor(c) };
        if (records.length === page) continue;
      }
    }
    const after = c ? [["write_date", ">=", nextSecond(c.at)]] : [];
    const records = await client.searchRead(model, [...base, ...after], { fields: wanted, limit: page, order: "write_date asc, id asc" });
    const last = records.at(-1);
    if (!last) break;
    const lastSecond = secondOf(last);
    if (records.length < page) {
      const maxId = Math.max(...records.filter((r) => secondOf(r) === lastSecond).map((r) => r.id));
      c = { at: lastSecond, id: maxId };
      yield { records, cursor: formatCursor(c) };
      break;
    }
    // A full page: its last second may go on past it, so that second is drained by id next.
    const complete = records.filter((r) => secondOf(r) < lastSecond);
    c = { at: lastSecond, id: 0 };
    if (complete.length > 0) yield { records: complete, cursor: formatCursor(c) };
  }
  // Seconds that are not yet over on Odoo's clock are read again next run.
  const settled = toAt(client.serverTime() - SETTLE_SECONDS * 1000);
  if (c && settled < c.at) yield { records: [], cursor: formatCursor({ at: settled, id: 0 }) };
}
