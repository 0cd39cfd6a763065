import type { AuditChange } from "../contract";

/** Masked stand-ins for secret values: the log says a secret was set or changed, never what it is. */
const MASK = "***";
const MASK_CHANGED = "*** (changed)";

/**
 * The fields that differ between two flat settings objects, old → new, with every field named in
 * `secrets` masked. Nested values (maps, lists) are compared and shown as JSON values.
 *
 * @example
 * diffFields({ url: "https://a", apiKey: "x" }, { url: "https://b", apiKey: "y" }, new Set(["apiKey"]))
 * // → [{ field: "apiKey", from: "***", to: "*** (changed)" }, { field: "url", from: "https://a", to: "https://b" }]
 */
export function diffFields(before: object | undefined, after: object | undefined, secrets: ReadonlySet<string>): AuditChange[] {
  const a: Record<string, unknown> = before ? { ...before } : {};
  const b: Record<string, unknown> = after ? { ...after } : {};
  const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const changes: AuditChange[] = [];
  for (const field of fields) {
    const from = a[field];
    const to = b[field];
    if (JSON.stringify(from) === JSON.stringify(to)) continue;
    if (secrets.has(field)) {
      changes.push({ field, ...(from !== undefined ? { from: MASK } : {}), ...(to !== undefined ? { to: from !== undefined ? MASK_CHANGED : MASK } : {}) });
    } else {
      changes.push({ field, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) });
    }
  }
  return changes;
}
