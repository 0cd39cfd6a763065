/**
 * File records → the rows of the signed ERP push API, one kind at a time. Columns are found by a
 * forgiving match of the header ("On Hand", "on_hand" and "onHand" all mean `onHand`) unless a
 * mapping names them (`--map onHand=Bestand` or a mapping file `{ "onHand": "Bestand" }`).
 */

const str = { type: "string" };
const int = { type: "int" };
const money = { type: "money" };

/** Per kind: the push resource, the envelope key, and its fields. */
export const KINDS = {
  stock: {
    resource: "stock",
    key: "items",
    fields: {
      sku: { ...str, required: true },
      warehouse: { ...str, required: true },
      onHand: { ...int, required: true },
      committed: int,
      incomingQty: int,
      incomingEta: str,
      incomingRef: str,
      version: int,
    },
  },
  products: {
    resource: "products",
    key: "products",
    fields: {
      sku: { ...str, required: true },
      name: { ...str, required: true },
      gtin: str,
      cost: money,
      currency: str,
      backorder: { type: "bool" },
      safetyStock: int,
      aliases: { type: "list" },
      version: int,
    },
  },
  prices: {
    resource: "prices",
    key: "prices",
    fields: {
      list: { ...str, required: true },
      sku: { ...str, required: true },
      minQty: int,
      unitPrice: { ...money, required: true },
      listName: str,
      currency: str,
      version: int,
    },
  },
  customers: {
    resource: "customers",
    key: "customers",
    fields: {
      id: { ...str, required: true },
      email: str,
      company: { ...str, required: true },
      priceList: { ...str, required: true },
      paymentTerms: str,
      creditLimit: money,
      balance: money,
      version: int,
    },
  },
  // Sales history for the demand forecast (issue 15): units per SKU, warehouse and day; no version.
  sales: {
    resource: "sales",
    key: "sales",
    fields: { sku: { ...str, required: true }, warehouse: str, date: { ...str, required: true }, qty: { ...int, required: true } },
  },
};

export const normalise = (name) =>
  String(name)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");

/**
 * Which column feeds which field: the mapping's header for a field first, else the header that
 * normalises to the field's name. Throws when a required field has no column.
 */
export function resolveColumns(kind, headers, mapping = {}) {
  const spec = KINDS[kind];
  if (!spec) throw new Error(`--kind must be one of ${Object.keys(KINDS).join(", ")}`);
  const byNorm = new Map(headers.map((h, i) => [normalise(h), i]));
  const columns = {};
  for (const [field, def] of Object.entries(spec.fields)) {
    const wanted = mapping[field];
    const index = wanted !== undefined ? headers.indexOf(wanted) : byNorm.get(normalise(field));
    if (wanted !== undefined && index < 0)
      throw new Error(`the mapping names column "${wanted}" for ${field}, but the file has no such column (it has: ${headers.join(", ")})`);
    if (index !== undefined && index >= 0) columns[field] = index;
    else if (def.required) throw new Error(`no column for "${field}" (the file has: ${headers.join(", ")}); map one with --map ${field}=<column>`);
  }
  for (const field of Object.keys(mapping))
    if (!(field in spec.fields)) throw new Error(`"${field}" is not a field of ${kind} (fields: ${Object.keys(spec.fields).join(", ")})`);
  return columns;
}

function convert(def, raw) {
  const text = typeof raw === "string" ? raw.trim() : raw;
  if (text === "" || text === null || text === undefined) return undefined;
  switch (def.type) {
    case "string":
      return String(text);
    case "int": {
      const n = typeof text === "number" ? text : Number(String(text).replace(/^(-?\d+)[.,]0+$/, "$1"));
      if (!Number.isInteger(n)) throw new Error(`"${text}" is not a whole number`);
      return n;
    }
    case "money": {
      const s = typeof text === "number" ? String(text) : String(text).replace(/^(-?\d+),(\d+)$/, "$1.$2");
      if (!/^-?\d{1,13}(\.\d{1,6})?$/.test(s)) throw new Error(`"${text}" is not an amount like 12.50`);
      return s;
    }
    case "bool": {
      const s = String(text).toLowerCase();
      if (["1", "true", "yes", "y", "ja", "x"].includes(s)) return true;
      if (["0", "false", "no", "n", "nein"].includes(s)) return false;
      throw new Error(`"${text}" is not yes/no`);
    }
    case "list":
      return String(text)
        .split("|")
        .map((a) => a.trim())
        .filter(Boolean);
    default:
      throw new Error(`unknown type ${def.type}`);
  }
}

/**
 * One record → one push row, or the reason it cannot be one. `get(i)` reads column i (CSV) and
 * `version` is the import's default version (its start time in ms) when the file has none.
 */
export function toRow(kind, columns, get, version) {
  const spec = KINDS[kind];
  const v = {};
  for (const [field, index] of Object.entries(columns)) {
    const def = spec.fields[field];
    try {
      const value = convert(def, get(index));
      if (value !== undefined) v[field] = value;
    } catch (e) {
      return { error: `${field}: ${e.message}` };
    }
  }
  for (const [field, def] of Object.entries(spec.fields)) if (def.required && v[field] === undefined) return { error: `${field}: empty` };
  const ver = v.version ?? version;
  switch (kind) {
    case "stock": {
      const row = { sku: v.sku, warehouse: v.warehouse, onHand: v.onHand, version: ver };
      if (v.committed !== undefined) row.committed = v.committed;
      if (v.incomingQty !== undefined && v.incomingQty > 0) {
        if (!v.incomingEta) return { error: "incomingEta: needed with incomingQty" };
        row.incoming = [{ qty: v.incomingQty, eta: v.incomingEta, ...(v.incomingRef ? { ref: v.incomingRef } : {}) }];
      }
      return { row };
    }
    case "products": {
      const { version: _, ...rest } = v;
      return { row: { ...rest, version: ver } };
    }
    case "prices":
      return {
        row: { list: v.list, sku: v.sku, minQty: v.minQty ?? 1, unitPrice: v.unitPrice, version: ver },
        list: { id: v.list, name: v.listName ?? v.list, currency: v.currency },
      };
    case "customers": {
      const { version: _, ...rest } = v;
      return { row: { ...rest, version: ver } };
    }
    case "sales":
      return { row: { sku: v.sku, ...(v.warehouse ? { warehouse: v.warehouse } : {}), date: v.date, qty: v.qty } };
    default:
      throw new Error(`unknown kind ${kind}`);
  }
}

/** `--map a=B,c=D` (repeatable) → { a: "B", c: "D" }. */
export function parseMapFlags(values) {
  const out = {};
  for (const v of values) {
    for (const pair of v.split(",")) {
      const i = pair.indexOf("=");
      if (i <= 0) throw new Error(`--map wants field=column, got "${pair}"`);
      out[pair.slice(0, i).trim()] = pair.slice(i + 1).trim();
    }
  }
  return out;
}
