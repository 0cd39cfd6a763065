/**
 * Odoo's search domains, evaluated the way the ORM reads them: a list in Polish notation where
 * terms are implicitly AND-ed and "&", "|", "!" take the following terms. Dotted paths follow
 * many2one fields through `resolve`.
 */
export type Rec = Record<string, unknown> & { id: number };
export type Resolve = (model: string, field: string, value: unknown) => unknown;

type Leaf = [string, string, unknown];
const isLeaf = (t: unknown): t is Leaf => Array.isArray(t) && t.length === 3 && typeof t[0] === "string" && typeof t[1] === "string";

const scalar = (v: unknown): unknown => (Array.isArray(v) && v.length === 2 && typeof v[0] === "number" && typeof v[1] === "string" ? v[0] : v);
export const scalarOf = scalar;

const DATETIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?$/;

/**
 * A value as PostgreSQL compares it: a datetime with or without microseconds as one padded
 * string ("… 10:00:00" equals "… 10:00:00.000000" and is before "… 10:00:00.123457"); Odoo's
 * `false` (NULL) as undefined.
 */
export function sortable(v: unknown): string | number | boolean | undefined {
  if (v === false || v === null || v === undefined) return undefined;
  if (typeof v === "string" && DATETIME.test(v)) {
    const [whole = v, frac = ""] = v.split(".");
    return `${whole}.${frac.padEnd(6, "0")}`;
  }
  return typeof v === "number" || typeof v === "string" || typeof v === "boolean" ? v : String(v);
}

function compare(op: string, left: unknown, rawRight: unknown): boolean {
  const l = typeof left === "string" ? sortable(left) : scalar(left);
  const right = typeof rawRight === "string" ? sortable(rawRight) : rawRight;
  switch (op) {
    case "=":
      return l === right || (right === false && (l === false || l === null || l === undefined));
    case "!=":
      return !compare("=", left, right);
    case ">":
      return typeof l === typeof right && (l as number) > (right as number);
    case ">=":
      return typeof l === typeof right && (l as number) >= (right as number);
    case "<":
      return typeof l === typeof right && (l as number) < (right as number);
    case "<=":
      return typeof l === typeof right && (l as number) <= (right as number);
    case "in":
      return Array.isArray(right) && (Array.isArray(l) ? l.some((x) => right.includes(x)) : right.includes(l));
    case "not in":
      return !compare("in", left, right);
    case "=ilike":
      return typeof l === "string" && typeof right === "string" && l.toLowerCase() === right.toLowerCase();
    case "=like":
      return (
        typeof l === "string" &&
        typeof right === "string" &&
        new RegExp(
          `^${right
            .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
            .replaceAll("%", ".*")
            .replaceAll("_", ".")}$`,
        ).test(l)
      );
    case "ilike":
      return typeof l === "string" && l.toLowerCase().includes(String(right).replaceAll("%", "").toLowerCase());
    // Odoo wraps a `like` value in % and keeps SQL's `_` (any one character), case-sensitive.
    case "like":
      return (
        typeof l === "string" &&
        new RegExp(
          String(right)
            .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
            .replaceAll("%", ".*")
            .replaceAll("_", "."),
        ).test(l)
      );
    default:
      throw new Error(`Invalid operator ${op}`);
  }
}

export function matches(model: string, rec: Rec, domain: unknown[], resolve: Resolve): boolean {
  let pos = 0;
  const term = (): boolean => {
    const t = domain[pos++];
    if (t === "&") {
      // Both operands are always read: a short-circuit would leave the second one unconsumed.
      const a = term();
      const b = term();
      return a && b;
    }
    if (t === "|") {
      const a = term();
      const b = term();
      return a || b;
    }
    if (t === "!") return !term();
    if (!isLeaf(t)) throw new Error(`Invalid leaf ${JSON.stringify(t)}`);
    const [path, op, value] = t;
    const parts = path.split(".");
    let current: unknown = rec[parts[0] ?? ""];
    let currentModel = model;
    for (const part of parts.slice(1)) {
      const next = resolve(currentModel, parts[parts.indexOf(part) - 1] ?? "", current);
      if (!next || typeof next !== "object") return false;
      const r = next as { model: string; record: Rec };
      currentModel = r.model;
      current = r.record[part];
    }
    return compare(op, current, value);
  };
  let ok = true;
  while (pos < domain.length) ok = term() && ok;
  return ok;
}
