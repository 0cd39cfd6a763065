/**
 * A small Frappe REST client for the ERPNext conformance checks (`Authorization: token key:secret`):
 * the suite's own view of the ERP, independent of the connector under test.
 */

export interface ErpNextTarget {
  url: string;
  key: string;
  secret: string;
}

export type Doc = Record<string, unknown> & { name: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isDoc = (v: unknown): v is Doc => isObject(v) && typeof v.name === "string";

export class ErpNextRest {
  readonly target: ErpNextTarget;

  constructor(target: ErpNextTarget) {
    this.target = target;
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await fetch(`${this.target.url.replace(/\/$/, "")}${path}`, {
      method,
      headers: { authorization: `token ${this.target.key}:${this.target.secret}`, "content-type": "application/json", accept: "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text.slice(0, 200)}`);
    const parsed: unknown = JSON.parse(text);
    if (!isObject(parsed)) throw new Error(`${method} ${path}: not a Frappe answer`);
    return "data" in parsed ? parsed.data : parsed.message;
  }

  async list(doctype: string, fields: string[], filters: unknown[] = [], limit = 100_000): Promise<Doc[]> {
    const q = new URLSearchParams({ fields: JSON.stringify(fields), filters: JSON.stringify(filters), limit_page_length: String(limit) });
    const out = await this.call("GET", `/api/resource/${encodeURIComponent(doctype)}?${q}`);
    if (!Array.isArray(out) || !out.every(isDoc)) throw new Error(`${doctype} list answered no documents`);
    return out;
  }

  async get(doctype: string, name: string): Promise<Doc> {
    const out = await this.call("GET", `/api/resource/${encodeURIComponent(doctype)}/${encodeURIComponent(name)}`);
    if (!isDoc(out)) throw new Error(`${doctype}/${name} answered no document`);
    return out;
  }

  /** Inserts one document (`docstatus: 1` submits it in the same call). */
  async insert(doctype: string, doc: Record<string, unknown>): Promise<Doc> {
    const out = await this.call("POST", `/api/resource/${encodeURIComponent(doctype)}`, doc);
    if (!isDoc(out)) throw new Error(`${doctype} insert answered no document`);
    return out;
  }

  /** Frappe's `insert_many`: one request, one transaction, at most 200 documents. */
  async insertMany(docs: Array<Record<string, unknown>>): Promise<unknown> {
    return this.call("POST", "/api/method/frappe.client.insert_many", { docs });
  }

  async cancel(doctype: string, name: string): Promise<void> {
    await this.call("POST", "/api/method/frappe.client.cancel", { doctype, name });
  }

  /** A whitelisted server method, e.g. ERPNext's `make_delivery_note`. */
  async method(path: string, args: Record<string, unknown>): Promise<unknown> {
    return this.call("POST", `/api/method/${path}`, args);
  }
}

export const asDoc = (v: unknown): Doc | undefined => (isDoc(v) ? v : undefined);
export const rows = (v: unknown): Array<Record<string, unknown>> => (Array.isArray(v) ? v.filter(isObject) : []);
