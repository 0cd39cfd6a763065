import { z } from "zod";

/**
 * The row schemas of an ERP push, checked without zod's interpreter where that is exact (issue 17).
 *
 * Workers forbid generating code from strings, so zod 4 cannot compile its schemas there and
 * interprets them: per row of a 10,000-row push that was most of the time outside SQLite (e.g.
 * 146 ms for 10,000 products in workerd). `fastParser` walks a schema once and builds plain closures
 * for the parts whose meaning it knows exactly (strict and plain objects, strings with length,
 * regex, email and ISO date/date-time checks, finite numbers with integer and range checks,
 * booleans, string enums, optionals, arrays with length checks, unions, pipes and plain
 * transforms); any other part (a refinement, a coercion, a default, anything unknown) is handed to
 * zod itself for that part. So a schema another change extends stays checked exactly, only slower where it is new.
 *
 * The closures answer the parsed value or FAIL. FAIL is never the verdict: the caller then parses
 * the row with zod, which decides and words the rejection. The contract is therefore one-sided and
 * tested against zod on every row schema (test/unit/fast-parse.unit.test.ts): whatever a closure
 * accepts, zod accepts with an equal output. For values from JSON.parse.
 */

export const FAIL: unique symbol = Symbol("fail");
type Fail = typeof FAIL;
type Parse = (value: unknown) => unknown;

/** zod's internals as far as this reads them (zod 4's `_zod.def` of a schema or a check); anything else is delegated. */
type Def = Record<string, unknown>;

/** `value[key]` of an object, or undefined. */
const get = (value: unknown, key: string): unknown => (typeof value === "object" && value !== null ? Reflect.get(value, key) : undefined);

const asDef = (value: unknown): Def | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? Object.fromEntries(Object.entries(value)) : undefined;

const defOf = (schema: unknown): Def | undefined => asDef(get(get(schema, "_zod"), "def"));

/** The defs of a schema's checks; undefined when one of them cannot be read. */
function checksOf(def: Def): Def[] | undefined {
  const checks = def.checks ?? [];
  if (!Array.isArray(checks)) return undefined;
  const defs = checks.map((c) => defOf(c));
  return defs.every((d) => d !== undefined) ? defs : undefined;
}

const noChecks = (def: Def): boolean => checksOf(def)?.length === 0;

/** zod decides this part. */
function delegate(schema: unknown): Parse {
  if (!(schema instanceof z.ZodType)) return () => FAIL;
  return (value) => {
    const r = schema.safeParse(value);
    return r.success ? r.data : FAIL;
  };
}

const onlyKeys = (def: Def, allowed: readonly string[]) => Object.keys(def).every((k) => allowed.includes(k) || k === "error");
const isRegExp = (v: unknown): v is RegExp => v instanceof RegExp;

/** String checks zod runs as a plain pattern test (regex, and the formats that are one). */
const PATTERN_FORMATS = new Set(["regex", "email", "date", "datetime"]);

function lengthCheck(c: Def): ((n: number) => boolean) | undefined {
  if (c.check === "min_length" && typeof c.minimum === "number" && onlyKeys(c, ["check", "minimum"])) {
    const min = c.minimum;
    return (n) => n >= min;
  }
  if (c.check === "max_length" && typeof c.maximum === "number" && onlyKeys(c, ["check", "maximum"])) {
    const max = c.maximum;
    return (n) => n <= max;
  }
  return undefined;
}

function patternTest(pattern: unknown): ((s: string) => boolean) | undefined {
  if (!isRegExp(pattern)) return undefined;
  return (s) => {
    pattern.lastIndex = 0;
    return pattern.test(s);
  };
}

function compileString(def: Def, schema: unknown): Parse {
  const tests: Array<(s: string) => boolean> = [];
  if (def.format !== undefined) {
    // A format schema (z.email(), z.iso.date()…): its own check is its pattern (date-time options are part of it).
    const known = def.check === "string_format" && onlyKeys(def, ["type", "checks", "format", "check", "abort", "pattern", "offset", "local", "precision"]);
    const own = known && typeof def.format === "string" && PATTERN_FORMATS.has(def.format) ? patternTest(def.pattern) : undefined;
    if (!own) return delegate(schema);
    tests.push(own);
  } else if (!onlyKeys(def, ["type", "checks"])) return delegate(schema);
  const checks = checksOf(def);
  if (!checks) return delegate(schema);
  for (const c of checks) {
    const length = lengthCheck(c);
    if (length) {
      tests.push((s) => length(s.length));
      continue;
    }
    const pattern =
      c.check === "string_format" && typeof c.format === "string" && PATTERN_FORMATS.has(c.format) && onlyKeys(c, ["check", "format", "pattern", "abort"])
        ? patternTest(c.pattern)
        : undefined;
    if (!pattern) return delegate(schema);
    tests.push(pattern);
  }
  return (value) => {
    if (typeof value !== "string") return FAIL;
    for (const t of tests) if (!t(value)) return FAIL;
    return value;
  };
}

function compileNumber(def: Def, schema: unknown): Parse {
  if (!onlyKeys(def, ["type", "checks"])) return delegate(schema);
  const tests: Array<(n: number) => boolean> = [];
  const checks = checksOf(def);
  if (!checks) return delegate(schema);
  for (const c of checks) {
    if (c.check === "number_format" && c.format === "safeint") tests.push((n) => Number.isSafeInteger(n));
    else if (c.check === "greater_than" && typeof c.value === "number" && typeof c.inclusive === "boolean") {
      const { value: min, inclusive } = c;
      tests.push(inclusive ? (n) => n >= min : (n) => n > min);
    } else if (c.check === "less_than" && typeof c.value === "number" && typeof c.inclusive === "boolean") {
      const { value: max, inclusive } = c;
      tests.push(inclusive ? (n) => n <= max : (n) => n < max);
    } else return delegate(schema);
  }
  return (value) => {
    if (typeof value !== "number" || !Number.isFinite(value)) return FAIL;
    for (const t of tests) if (!t(value)) return FAIL;
    return value;
  };
}

function compileObject(def: Def, schema: unknown): Parse {
  const shape = def.shape;
  const catchall = defOf(def.catchall);
  // Strict (catchall never: an unknown key fails) or plain (no catchall: unknown keys are dropped).
  const strict = catchall?.type === "never";
  if (typeof shape !== "object" || shape === null || (def.catchall !== undefined && !strict) || !noChecks(def)) return delegate(schema);
  const fields = Object.entries(shape).map(([key, field]) => ({ key, optional: defOf(field)?.type === "optional", parse: compile(field) }));
  const known = new Set(fields.map((f) => f.key));
  return (value) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return FAIL;
    // Every key known (a strict object's rule; a plain one drops the others, so it needs a copy then).
    let onlyKnown = true;
    for (const k of Object.keys(value))
      if (!known.has(k)) {
        if (strict) return FAIL;
        onlyKnown = false;
      }
    const out: Record<string, unknown> = {};
    let same = onlyKnown;
    for (const { key, optional, parse } of fields) {
      const present = Object.hasOwn(value, key);
      const field: unknown = present ? Reflect.get(value, key) : undefined;
      const parsed = parse(field);
      if (parsed === FAIL) return FAIL;
      // zod keeps an optional key that was given (even as undefined) and leaves out one that was not.
      if (present || !optional || parsed !== undefined) {
        out[key] = parsed;
        if (parsed !== field || !present) same = false;
      }
    }
    // Nothing changed (no transform, no default, no dropped key): the value itself is zod's output, equal and not copied again.
    return same ? value : out;
  };
}

function compileArray(def: Def, schema: unknown): Parse {
  if (!onlyKeys(def, ["type", "checks", "element"])) return delegate(schema);
  const tests: Array<(n: number) => boolean> = [];
  const checks = checksOf(def);
  if (!checks) return delegate(schema);
  for (const c of checks) {
    const length = lengthCheck(c);
    if (!length) return delegate(schema);
    tests.push(length);
  }
  const element = compile(def.element);
  return (value) => {
    if (!Array.isArray(value)) return FAIL;
    for (const t of tests) if (!t(value.length)) return FAIL;
    const out: unknown[] = new Array(value.length);
    let same = true;
    for (let i = 0; i < value.length; i++) {
      const parsed = element(value[i]);
      if (parsed === FAIL) return FAIL;
      out[i] = parsed;
      if (parsed !== value[i]) same = false;
    }
    return same ? value : out;
  };
}

/**
 * A transform runs as zod runs it: the function gets the value and a context whose issues it may add
 * to; any issue, a throw or a promise means FAIL (zod then decides, and throws or rejects the same way).
 */
function compileTransform(def: Def, schema: unknown): Parse {
  const fn = def.transform;
  if (typeof fn !== "function" || !onlyKeys(def, ["type", "transform", "checks"]) || !noChecks(def)) return delegate(schema);
  return (value) => {
    const issues: unknown[] = [];
    const ctx = { value, issues, addIssue: (issue: unknown) => issues.push(issue) };
    try {
      const out: unknown = fn(value, ctx);
      return issues.length > 0 || out instanceof Promise ? FAIL : out;
    } catch {
      return FAIL;
    }
  };
}

/** One part of a schema as a closure (see above). */
function compile(schema: unknown): Parse {
  const def = defOf(schema);
  if (!def) return () => FAIL;
  switch (def.type) {
    case "string":
      return compileString(def, schema);
    case "number":
      return compileNumber(def, schema);
    case "boolean":
      return onlyKeys(def, ["type", "checks"]) && noChecks(def) ? (v) => (typeof v === "boolean" ? v : FAIL) : delegate(schema);
    case "enum": {
      const values = typeof def.entries === "object" && def.entries !== null ? Object.values(def.entries) : [];
      if (!onlyKeys(def, ["type", "entries", "checks"]) || !noChecks(def) || !values.every((v) => typeof v === "string")) return delegate(schema);
      const allowed = new Set(values);
      return (v) => (typeof v === "string" && allowed.has(v) ? v : FAIL);
    }
    case "optional": {
      if (!onlyKeys(def, ["type", "innerType", "checks"]) || !noChecks(def)) return delegate(schema);
      const inner = compile(def.innerType);
      return (v) => (v === undefined ? undefined : inner(v));
    }
    case "object":
      return compileObject(def, schema);
    case "array":
      return compileArray(def, schema);
    case "union": {
      if (!onlyKeys(def, ["type", "options", "checks"]) || !noChecks(def) || !Array.isArray(def.options)) return delegate(schema);
      // zod answers the first option that succeeds.
      const options = def.options.map((o) => compile(o));
      return (v) => {
        for (const option of options) {
          const parsed = option(v);
          if (parsed !== FAIL) return parsed;
        }
        return FAIL;
      };
    }
    case "pipe": {
      // The input's schema, then the output's on what it answered (zod stops at the first that fails).
      if (!onlyKeys(def, ["type", "in", "out", "checks"]) || !noChecks(def)) return delegate(schema);
      const [first, then] = [compile(def.in), compile(def.out)];
      return (v) => {
        const mid = first(v);
        return mid === FAIL ? FAIL : then(mid);
      };
    }
    case "transform":
      return compileTransform(def, schema);
    default:
      return delegate(schema);
  }
}

const cache = new WeakMap<object, Parse>();

/**
 * `schema`'s fast check: the value as zod would parse it, or FAIL (then ask zod). Built once per
 * schema. The output's type is the schema's: the closures accept only what zod accepts and build
 * the same value (the unit test holds them to it), which is why the one assertion below is sound.
 */
export function fastParser<T>(schema: z.ZodType<T>): (value: unknown) => T | Fail {
  let parse = cache.get(schema);
  if (!parse) {
    parse = compile(schema);
    cache.set(schema, parse);
  }
  const run = parse;
  return (value) => run(value) as T | Fail;
}
