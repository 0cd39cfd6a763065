/**
 * A small Odoo `/jsonrpc` client for the conformance suite and the capture script: the suite's own
 * view of the ERP (what Odoo itself says), independent of the connector under test. Every call can
 * be recorded in the captured-fixture format `{ endpoint, http_status, elapsed_ms, request, response }`.
 */

export interface Capture {
  endpoint: string;
  http_status: number;
  elapsed_ms: number;
  request: unknown;
  response: unknown;
}

export interface OdooTarget {
  url: string;
  db: string;
  login: string;
  password: string;
}

export type Rec = Record<string, unknown> & { id: number };

export class OdooRpcError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isRecords = (v: unknown): v is Rec[] => Array.isArray(v) && v.every((r) => isObject(r) && typeof r.id === "number");

export class OdooRpc {
  private seq = 0;
  private uidCache: number | undefined;
  /** The last call made, for the capture script to save. */
  last: Capture | undefined;

  readonly target: OdooTarget;

  constructor(target: OdooTarget) {
    this.target = target;
  }

  private get base(): string {
    return this.target.url.replace(/\/$/, "");
  }

  /** One JSON-RPC call; an `error` member (Odoo answers HTTP 200) is thrown as OdooRpcError. */
  async call(service: string, method: string, args: unknown[]): Promise<unknown> {
    const request = { jsonrpc: "2.0", method: "call", id: ++this.seq, params: { service, method, args } };
    const started = performance.now();
    const res = await fetch(`${this.base}/jsonrpc`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(request) });
    const text = await res.text();
    const elapsed = Math.round((performance.now() - started) * 10) / 10;
    let response: unknown;
    try {
      response = JSON.parse(text);
    } catch {
      response = text;
    }
    this.last = { endpoint: "POST /jsonrpc", http_status: res.status, elapsed_ms: elapsed, request, response };
    if (!isObject(response)) throw new OdooRpcError("bad_answer", `HTTP ${res.status}: ${text.slice(0, 200)}`);
    if (isObject(response.error)) {
      const data = isObject(response.error.data) ? response.error.data : {};
      throw new OdooRpcError(String(data.name ?? "error"), String(data.message ?? response.error.message ?? "error"));
    }
    return response.result;
  }

  async uid(): Promise<number> {
    if (this.uidCache === undefined) {
      const uid = await this.call("common", "authenticate", [this.target.db, this.target.login, this.target.password, {}]);
      if (typeof uid !== "number") throw new OdooRpcError("AccessDenied", `Odoo refused the login "${this.target.login}" on ${this.target.db}`);
      this.uidCache = uid;
    }
    return this.uidCache;
  }

  async major(): Promise<number> {
    const v = await this.call("common", "version", []);
    return isObject(v) ? Number.parseInt(String(v.server_serie), 10) : Number.NaN;
  }

  async kw(model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}): Promise<unknown> {
    return this.call("object", "execute_kw", [this.target.db, await this.uid(), this.target.password, model, method, args, kwargs]);
  }

  async searchRead(model: string, domain: unknown[], fields: string[], opts: { limit?: number; offset?: number; order?: string } = {}): Promise<Rec[]> {
    const out = await this.kw(model, "search_read", [domain], { fields, ...opts });
    if (!isRecords(out)) throw new OdooRpcError("bad_answer", `${model}.search_read answered no records`);
    return out;
  }

  async read(model: string, ids: number[], fields: string[]): Promise<Rec[]> {
    const out = await this.kw(model, "read", [ids, fields]);
    if (!isRecords(out)) throw new OdooRpcError("bad_answer", `${model}.read answered no records`);
    return out;
  }

  async create(model: string, vals: Record<string, unknown>, context: Record<string, unknown> = {}): Promise<number> {
    const id = await this.kw(model, "create", [vals], { context });
    if (typeof id !== "number") throw new OdooRpcError("bad_answer", `${model}.create answered no id`);
    return id;
  }

  /** `create` with a list of values: one call, one transaction, one write_date for all. */
  async createMany(model: string, vals: Array<Record<string, unknown>>): Promise<number[]> {
    const ids = await this.kw(model, "create", [vals]);
    if (!Array.isArray(ids) || !ids.every((i) => typeof i === "number")) throw new OdooRpcError("bad_answer", `${model}.create answered no ids`);
    return ids;
  }

  async count(model: string, domain: unknown[]): Promise<number> {
    const n = await this.kw(model, "search_count", [domain]);
    if (typeof n !== "number") throw new OdooRpcError("bad_answer", `${model}.search_count answered no number`);
    return n;
  }

  async write(model: string, ids: number[], vals: Record<string, unknown>): Promise<void> {
    await this.kw(model, "write", [ids, vals]);
  }

  async act(model: string, method: string, ids: number[], context: Record<string, unknown> = {}): Promise<unknown> {
    return this.kw(model, method, [ids], { context });
  }

  /** A raw HTTP request (the JSON-2 probe), recorded like a JSON-RPC call. */
  async raw(method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<Capture> {
    const started = performance.now();
    const res = await fetch(`${this.base}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await res.text();
    const capture: Capture = {
      endpoint: `${method} ${path}`,
      http_status: res.status,
      elapsed_ms: Math.round((performance.now() - started) * 10) / 10,
      request: { headers, ...(body === undefined ? {} : { body }) },
      response: { content_type: res.headers.get("content-type"), body: text },
    };
    this.last = capture;
    return capture;
  }
}

/** A many2one's id: Odoo answers `[id, "name"]` or `false`. */
export const m2oId = (v: unknown): number | undefined => (Array.isArray(v) && typeof v[0] === "number" ? v[0] : undefined);
export const numberOf = (v: unknown): number => (typeof v === "number" ? v : Number.NaN);
/** A one2many/many2many value: a list of ids. */
export const idList = (v: unknown): number[] => (Array.isArray(v) ? v.filter((i): i is number => typeof i === "number") : []);
