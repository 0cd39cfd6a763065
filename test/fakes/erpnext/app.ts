import { Hono } from "hono";

/**
 * A fake ERPNext (Frappe REST, as documented in test/fixtures/erp/erpnext): `/api/resource/<DocType>`
 * lists with `fields` (incl. child-table joins like "`tabPurchase Order Item`.item_code as item_code"),
 * `filters` ([field, op, value] or [doctype, field, op, value]), `order_by`, `limit_start`,
 * `limit_page_length`; single documents with child tables; inserts; `frappe.client.cancel`;
 * a print format's PDF (`frappe.utils.print_format.download_pdf`) and a delivery's return as
 * `make_sales_return` maps it (`is_return`, `return_against`, negative quantities, `dn_detail`);
 * `Authorization: token key:secret`; Frappe's error bodies (`exc_type`, `_server_messages`).
 */
export type Doc = Record<string, unknown> & { name: string; modified: string };

export interface ErpNextFake {
  fetch(request: Request): Promise<Response>;
  docs: Map<string, Map<string, Doc>>;
  calls: string[];
  faults: Array<{ status: number; retryAfter?: string }>;
  /** A Frappe timestamp, `seconds` after the previous one. */
  tick(seconds?: number): string;
}

export const ERPNEXT_KEY = "2c9f3b1a7e5d4c0";
export const ERPNEXT_SECRET = "9e8d7c6b5a4f3e2";

const CHILD_TABLES: Record<string, Record<string, string>> = {
  "Purchase Order": { "Purchase Order Item": "items" },
  "Sales Order": { "Sales Order Item": "items" },
  "Delivery Note": { "Delivery Note Item": "items" },
};

/** Check fields Frappe stores as 0 when a document leaves them out (a list filter on them matches 0). */
const DEFAULTS: Record<string, Record<string, unknown>> = {
  "Delivery Note": { is_return: 0, return_against: null, instructions: null },
  "Sales Invoice": { is_return: 0 },
};

/** Frappe's naming series of the documents the fake numbers itself. */
const SERIES: Record<string, string> = { "Delivery Note": "MAT-DN-2026-", "Sales Invoice": "ACC-SINV-2026-" };

const ts = (ms: number) => `${new Date(ms).toISOString().slice(0, 19).replace("T", " ")}.${String(ms % 1000).padStart(3, "0")}000`;

function seed(at: () => string): Map<string, Map<string, Doc>> {
  const docs = new Map<string, Map<string, Doc>>();
  const add = (doctype: string, d: Record<string, unknown> & { name: string; modified?: string }) => {
    const t = docs.get(doctype) ?? new Map<string, Doc>();
    docs.set(doctype, t);
    t.set(d.name, { doctype, docstatus: 0, ...d, modified: d.modified ?? at() });
  };
  add("Warehouse", { name: "All Warehouses - BR", warehouse_name: "All Warehouses", is_group: 1 });
  add("Warehouse", { name: "Stores - BR", warehouse_name: "Stores", is_group: 0 });
  add("Warehouse", { name: "Finished Goods - BR", warehouse_name: "Finished Goods", is_group: 0 });
  add("Item", { name: "SKU-TEE-M", item_code: "SKU-TEE-M", item_name: "T-Shirt M", valuation_rate: 4.2, disabled: 0, is_stock_item: 1 });
  add("Item", { name: "SKU-MUG", item_code: "SKU-MUG", item_name: "Mug", valuation_rate: 1.75, disabled: 0, is_stock_item: 1 });
  add("Item", { name: "SKU-CAP", item_code: "SKU-CAP", item_name: "Cap", valuation_rate: 0, disabled: 0, is_stock_item: 1 });
  add("Price List", { name: "Standard Selling", price_list_name: "Standard Selling", currency: "EUR", selling: 1, enabled: 1 });
  add("Price List", { name: "Wholesale", price_list_name: "Wholesale", currency: "EUR", selling: 1, enabled: 1 });
  add("Item Price", { name: "ITEM-PRICE-0001", item_code: "SKU-TEE-M", price_list: "Standard Selling", price_list_rate: 19.9, selling: 1, customer: null });
  add("Item Price", { name: "ITEM-PRICE-0002", item_code: "SKU-TEE-M", price_list: "Wholesale", price_list_rate: 12.5, selling: 1, customer: null });
  add("Item Price", { name: "ITEM-PRICE-0003", item_code: "SKU-MUG", price_list: "Wholesale", price_list_rate: 6, selling: 1, customer: null });
  add("Customer", {
    name: "Acme GmbH",
    customer_name: "Acme GmbH",
    email_id: "buyer@acme.example",
    default_price_list: "Wholesale",
    payment_terms: "Net 30",
    disabled: 0,
    credit_limits: [{ doctype: "Customer Credit Limit", company: "Backroom Demo", credit_limit: 5000, bypass_credit_limit_check: 0 }],
  });
  add("Customer", { name: "Walk-in", customer_name: "Walk-in", email_id: null, default_price_list: "Standard Selling", disabled: 0, credit_limits: [] });
  add("Bin", { name: "BIN-0001", item_code: "SKU-TEE-M", warehouse: "Stores - BR", actual_qty: 40, reserved_qty: 3, ordered_qty: 25, projected_qty: 62 });
  add("Bin", { name: "BIN-0002", item_code: "SKU-MUG", warehouse: "Stores - BR", actual_qty: 0, reserved_qty: 0, ordered_qty: 0, projected_qty: 0 });
  add("Bin", { name: "BIN-0003", item_code: "SKU-TEE-M", warehouse: "Finished Goods - BR", actual_qty: 7, reserved_qty: 0, ordered_qty: 0, projected_qty: 7 });
  add("Purchase Order", {
    name: "PUR-ORD-2026-00004",
    docstatus: 1,
    per_received: 0,
    schedule_date: "2099-03-10",
    items: [
      { doctype: "Purchase Order Item", item_code: "SKU-TEE-M", qty: 20, schedule_date: "2099-03-14", warehouse: "Stores - BR" },
      { doctype: "Purchase Order Item", item_code: "SKU-TEE-M", qty: 5, schedule_date: "2099-03-10", warehouse: "Stores - BR" },
    ],
  });
  add("Sales Order", {
    name: "SAL-ORD-2026-00001",
    customer: "Acme GmbH",
    po_no: "5001",
    status: "To Deliver and Bill",
    docstatus: 1,
    items: [{ doctype: "Sales Order Item", item_code: "SKU-TEE-M", qty: 2, rate: 19.9 }],
  });
  return docs;
}

const fieldName = (f: string): { source: string; child?: string; as: string } => {
  const m = /^`tab([^`]+)`\.(\w+)(?:\s+as\s+(\w+))?$/i.exec(f.trim());
  if (m?.[1] && m[2]) return { source: m[2], child: m[1], as: m[3] ?? m[2] };
  const [name = f, alias] = f.split(/\s+as\s+/i);
  return { source: name.trim(), as: (alias ?? name).trim() };
};

function test(value: unknown, op: string, right: unknown): boolean {
  switch (op) {
    case "=":
      return value === right || String(value) === String(right);
    case "!=":
      return !test(value, "=", right);
    case ">":
      return String(value) > String(right);
    case ">=":
      return String(value) >= String(right);
    case "<":
      return typeof value === "number" ? value < Number(right) : String(value) < String(right);
    case "<=":
      return String(value) <= String(right);
    case "in":
      return Array.isArray(right) && right.map(String).includes(String(value));
    case "not in":
      return !test(value, "in", right);
    // Frappe's `like` is SQL's: % any run, _ any one character.
    case "like":
      return new RegExp(
        `^${String(right)
          .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
          .replaceAll("%", ".*")
          .replaceAll("_", ".")}$`,
        "s",
      ).test(String(value ?? ""));
    case "is":
      return right === "set" ? value !== null && value !== undefined && value !== "" : value === null || value === undefined || value === "";
    default:
      throw new Error(`unsupported operator ${op}`);
  }
}

/** The fake's rendering of a print format: a small PDF naming the document. */
export const pdfOf = (doctype: string, name: string): Uint8Array =>
  new TextEncoder().encode(`%PDF-1.4\n% ${doctype} ${name} (fake print format)\ntrailer << >>\n%%EOF\n`);

export function createErpNextFake(): ErpNextFake {
  let clock = Date.parse("2026-11-23T08:00:00Z");
  const at = () => {
    clock += 1000;
    return ts(clock);
  };
  const docs = seed(at);
  const calls: string[] = [];
  const faults: ErpNextFake["faults"] = [];
  const frappeError = (status: number, exc: string, message: string) =>
    Response.json(
      { exc_type: exc, exception: `frappe.exceptions.${exc}: ${message}`, _server_messages: JSON.stringify([JSON.stringify({ message })]) },
      { status },
    );
  const table = (doctype: string) => docs.get(doctype) ?? docs.set(doctype, new Map()).get(doctype) ?? new Map<string, Doc>();

  const app = new Hono();
  app.use("*", async (c, next) => {
    const fault = faults.shift();
    if (fault) return new Response("{}", { status: fault.status, headers: fault.retryAfter ? { "retry-after": fault.retryAfter } : {} });
    if (c.req.header("authorization") !== `token ${ERPNEXT_KEY}:${ERPNEXT_SECRET}`) return frappeError(401, "AuthenticationError", "Invalid API key or secret");
    await next();
  });
  app.get("/api/resource/:doctype", (c) => {
    const doctype = c.req.param("doctype");
    calls.push(`list ${doctype}`);
    const fields = (JSON.parse(c.req.query("fields") ?? '["name"]') as string[]).map(fieldName);
    const filters = JSON.parse(c.req.query("filters") ?? "[]") as unknown[][];
    const start = Number(c.req.query("limit_start") ?? 0);
    const length = Number(c.req.query("limit_page_length") ?? 20);
    const childOf = (d: Doc, child: string) =>
      Array.isArray(d[CHILD_TABLES[doctype]?.[child] ?? ""]) ? (d[CHILD_TABLES[doctype]?.[child] ?? ""] as Record<string, unknown>[]) : [];
    const rows: Record<string, unknown>[] = [];
    for (const stored of table(doctype).values()) {
      const d = { ...DEFAULTS[doctype], ...stored };
      const childFilters = filters.filter((f) => f.length === 4 && f[0] !== doctype);
      const own = filters.filter((f) => f.length === 3 || f[0] === doctype).map((f) => (f.length === 4 ? f.slice(1) : f));
      if (!own.every(([field, op, value]) => test(d[String(field)], String(op), value))) continue;
      const joined = fields.find((f) => f.child)?.child ?? (childFilters[0]?.[0] as string | undefined);
      const children = joined
        ? childOf(d, joined).filter((ch) => childFilters.every(([, field, op, value]) => test(ch[String(field)], String(op), value)))
        : [undefined];
      for (const ch of children) rows.push(Object.fromEntries(fields.map((f) => [f.as, f.child ? (ch?.[f.source] ?? null) : (d[f.source] ?? null)])));
    }
    const orderBy = (c.req.query("order_by") ?? "modified desc").split(",").map((s) => s.trim().split(/\s+/));
    rows.sort((a, b) => {
      for (const [k = "modified", dir] of orderBy) {
        const x = String(a[k] ?? "");
        const y = String(b[k] ?? "");
        if (x !== y) return (x < y ? -1 : 1) * (dir === "desc" ? -1 : 1);
      }
      return 0;
    });
    return c.json({ data: rows.slice(start, start + length) });
  });
  app.get("/api/resource/:doctype/:name", (c) => {
    calls.push(`get ${c.req.param("doctype")}`);
    const d = table(c.req.param("doctype")).get(c.req.param("name"));
    return d ? c.json({ data: d }) : frappeError(404, "DoesNotExistError", `${c.req.param("doctype")} ${c.req.param("name")} not found`);
  });
  app.post("/api/resource/:doctype", async (c) => {
    const doctype = c.req.param("doctype");
    calls.push(`insert ${doctype}`);
    const body = await c.req.json<Record<string, unknown>>();
    if (doctype === "Sales Order") {
      if (!table("Customer").has(String(body.customer))) return frappeError(417, "LinkValidationError", `Could not find Customer: ${String(body.customer)}`);
      for (const item of (body.items as Array<{ item_code: string }>) ?? []) {
        if (!table("Item").has(item.item_code)) return frappeError(417, "LinkValidationError", `Could not find Row #1: Item Code: ${item.item_code}`);
      }
      const name = `SAL-ORD-2026-${String(table(doctype).size + 1).padStart(5, "0")}`;
      const doc: Doc = { doctype, ...body, name, status: body.docstatus === 1 ? "To Deliver and Bill" : "Draft", modified: at() };
      table(doctype).set(name, doc);
      return c.json({ data: doc });
    }
    const series = SERIES[doctype];
    const name = String(body.name ?? (series ? `${series}${String(table(doctype).size + 1).padStart(5, "0")}` : `${doctype}-${table(doctype).size + 1}`));
    const doc: Doc = { doctype, docstatus: 0, ...body, name, modified: at() };
    table(doctype).set(name, doc);
    return c.json({ data: doc });
  });
  app.get("/api/method/frappe.utils.print_format.download_pdf", (c) => {
    calls.push("download_pdf");
    const doctype = c.req.query("doctype") ?? "";
    const name = c.req.query("name") ?? "";
    if (!table(doctype).has(name)) return frappeError(404, "DoesNotExistError", `${doctype} ${name} not found`);
    return new Response(pdfOf(doctype, name), {
      headers: { "content-type": "application/pdf", "content-disposition": `filename="${name.replace(/[^\w-]/g, "-")}.pdf"` },
    });
  });
  app.post("/api/method/erpnext.stock.doctype.delivery_note.delivery_note.make_sales_return", async (c) => {
    calls.push("make_sales_return");
    const { source_name } = await c.req.json<{ source_name: string }>();
    const source = table("Delivery Note").get(source_name);
    if (!source) return frappeError(404, "DoesNotExistError", `Delivery Note ${source_name} not found`);
    if (source.docstatus !== 1) return frappeError(417, "ValidationError", `Submitted Delivery Note ${source_name} is required for a return`);
    // What is left to return of each line: delivered less what submitted or draft returns already hold.
    const returned = (detail: string) =>
      [...table("Delivery Note").values()]
        .filter((r) => r.is_return === 1 && r.return_against === source_name && r.docstatus !== 2)
        .flatMap((r) => (Array.isArray(r.items) ? (r.items as Array<Record<string, unknown>>) : []))
        .filter((i) => i.dn_detail === detail)
        .reduce((sum, i) => sum + Math.abs(Number(i.qty)), 0);
    const items = (Array.isArray(source.items) ? (source.items as Array<Record<string, unknown>>) : []).map((i, n) => {
      const detail = String(i.name ?? `${source_name}-${n + 1}`);
      return { doctype: "Delivery Note Item", item_code: i.item_code, qty: -(Number(i.qty) - returned(detail)), rate: i.rate ?? 0, dn_detail: detail };
    });
    const { name: _n, modified: _m, items: _i, lr_no: _l, ...rest } = source;
    return c.json({ message: { ...rest, doctype: "Delivery Note", docstatus: 0, is_return: 1, return_against: source_name, items, __islocal: 1 } });
  });
  app.post("/api/method/frappe.client.cancel", async (c) => {
    calls.push("cancel");
    const { doctype, name } = await c.req.json<{ doctype: string; name: string }>();
    const d = table(doctype).get(name);
    if (!d) return frappeError(404, "DoesNotExistError", `${doctype} ${name} not found`);
    Object.assign(d, { docstatus: 2, status: "Cancelled", modified: at() });
    return c.json({ message: null });
  });
  return {
    fetch: async (req) => app.fetch(req),
    docs,
    calls,
    faults,
    tick(seconds = 1) {
      clock += seconds * 1000;
      return ts(clock);
    },
  };
}
