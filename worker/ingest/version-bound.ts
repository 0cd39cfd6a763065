/**
 * How far ahead of the edge's clock an ERP record's `version` may be: one day. Versions are the
 * ERP's write time in ms (or any smaller counter); a day covers clock skew and an ERP writing local
 * time as if it were UTC. A version beyond it would make every later genuine update of the record
 * look stale, so such a row is rejected (`version_in_future`) in every ingest path: signed pushes,
 * connector pulls and ERPNext webhooks.
 */
export const MAX_VERSION_AHEAD_MS = 24 * 60 * 60 * 1000;

/** Why a row's version is refused, or undefined when it is fine (rows without a version always are). */
export function versionInFuture(row: object, now: number): string | undefined {
  if (!("version" in row) || typeof row.version !== "number") return undefined;
  const limit = now + MAX_VERSION_AHEAD_MS;
  return row.version > limit ? `version ${row.version} is more than a day ahead of the edge's clock (${limit})` : undefined;
}

export const VERSION_IN_FUTURE = "version_in_future";
