import { z } from "zod";
import type { ErpNextSettings } from "../../contract/connectors";
import { connectorFetch, type Patience } from "../http";

/**
 * Frappe/ERPNext REST: `/api/resource/<DocType>` lists (`fields`, `filters`, `order_by`,
 * `limit_start`, `limit_page_length`, answered as `{"data": [...]}`), single documents
 * (`{"data": {...}}`), inserts; `Authorization: token <api key>:<api secret>`.
 */
export interface ErpNextClient {
  list(doctype: string, q: { fields: string[]; filters?: unknown[]; orderBy?: string; start?: number; pageLength?: number }): Promise<ErpDoc[]>;
  get(doctype: string, name: string): Promise<ErpDoc>;
  insert(doctype: string, doc: Record<string, unknown>): Promise<ErpDoc>;
  /** A whitelisted method, `POST /api/method/<dotted.path>`, answering its `message`. */
  call(method: string, body: Record<string, unknown>): Promise<unknown>;
  /** A whitelisted method that answers a file (`GET /api/method/<dotted.path>?…`, e.g. a print format's PDF): its response. */
  download(method: string, params: Record<string, string>): Promise<Response>;
}

export type ErpDoc = Record<string, unknown>;
const List = z.object({ data: z.array(z.record(z.string(), z.unknown())) });
const One = z.object({ data: z.record(z.string(), z.unknown()) });

export function erpNextClient(s: ErpNextSettings, patience: Patience): ErpNextClient {
  const base = `${s.url.replace(/\/$/, "")}/api/resource`;
  const headers = { authorization: `token ${s.apiKey}:${s.apiSecret}`, accept: "application/json" };
  const path = (doctype: string) => `${base}/${encodeURIComponent(doctype)}`;
  return {
    async list(doctype, q) {
      const params = new URLSearchParams({
        fields: JSON.stringify(q.fields),
        limit_page_length: String(q.pageLength ?? 100),
        limit_start: String(q.start ?? 0),
      });
      if (q.filters) params.set("filters", JSON.stringify(q.filters));
      if (q.orderBy) params.set("order_by", q.orderBy);
      const res = await connectorFetch(`${path(doctype)}?${params}`, { headers }, patience);
      return List.parse(await res.json()).data;
    },
    async get(doctype, name) {
      const res = await connectorFetch(`${path(doctype)}/${encodeURIComponent(name)}`, { headers }, patience);
      return One.parse(await res.json()).data;
    },
    async insert(doctype, doc) {
      const res = await connectorFetch(
        path(doctype),
        { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(doc) },
        patience,
      );
      return One.parse(await res.json()).data;
    },
    async call(method, body) {
      const url = `${s.url.replace(/\/$/, "")}/api/method/${method}`;
      const res = await connectorFetch(
        url,
        { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(body) },
        patience,
      );
      return z.object({ message: z.unknown().optional() }).parse(await res.json()).message;
    },
    async download(method, params) {
      return connectorFetch(`${s.url.replace(/\/$/, "")}/api/method/${method}?${new URLSearchParams(params)}`, { headers }, patience);
    },
  };
}
