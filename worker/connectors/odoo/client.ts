import { z } from "zod";
import type { OdooSettings } from "../../contract/connectors";
import { RemoteError } from "../errors";
import { connectorFetch, type Patience } from "../http";

/**
 * Odoo's external API in two dialects behind one interface: JSON-2 (Odoo 19+,
 * `POST /json/2/<model>/<method>` with a bearer API key and named arguments) and JSON-RPC
 * `execute_kw` (16–18, positional arguments, errors as HTTP 200 with an `error` member).
 */
export interface OdooClient {
  /** The server's major version, e.g. 17. */
  version(): Promise<number>;
  /** Odoo's clock in ms, from the `Date` of its latest answer (this worker's clock before the first). */
  serverTime(): number;
  searchRead(model: string, domain: unknown[], opts: { fields: string[]; limit?: number; offset?: number; order?: string }): Promise<OdooRecord[]>;
  read(model: string, ids: number[], fields: string[]): Promise<OdooRecord[]>;
  create(model: string, vals: Record<string, unknown>): Promise<number>;
  write(model: string, ids: number[], vals: Record<string, unknown>): Promise<void>;
  /** A button-like method on records, e.g. `sale.order.action_confirm`. */
  act(model: string, method: string, ids: number[], context?: Record<string, unknown>): Promise<unknown>;
}

export type OdooRecord = Record<string, unknown> & { id: number };
const Records = z.array(z.looseObject({ id: z.number() }));

const RpcError = z.object({
  code: z.number().optional(),
  message: z.string(),
  data: z.object({ name: z.string().optional(), message: z.string().optional() }).optional(),
});
/** An error, else a result: a method that returns None (`action_unlock`, …) answers without `result`. */
const RpcAnswer = z.union([z.object({ error: RpcError }), z.object({ result: z.unknown().optional() })]);

/** Odoo's exception class decides: access and validation problems will not heal by retrying. */
export function odooError(name: string | undefined, message: string): RemoteError {
  const n = name ?? "";
  if (/AccessDenied|AccessError/.test(n)) return new RemoteError("odoo_access_denied", message, false);
  if (/SerializationFailure|LockNotAvailable|ConcurrencyError|ServiceUnavailable/.test(n)) return new RemoteError("odoo_busy", message, true);
  if (/odoo\.exceptions\.|builtins\.(ValueError|KeyError|TypeError)/.test(n)) return new RemoteError("odoo_refused", `${n}: ${message}`, false);
  return new RemoteError("odoo_error", `${n || "error"}: ${message}`, true);
}

/** Remembers the `Date` header of the remote's answers: Odoo's clock, for the change cursor. */
function serverClock() {
  let seen: number | undefined;
  return {
    saw(res: Response) {
      const at = Date.parse(res.headers.get("date") ?? "");
      if (!Number.isNaN(at)) seen = at;
    },
    now: () => seen ?? Date.now(),
  };
}

function rpcClient(s: OdooSettings, patience: Patience): OdooClient {
  let uid: number | undefined;
  let major: number | undefined;
  let seq = 0;
  const clock = serverClock();
  const rpc = async (service: string, method: string, args: unknown[]): Promise<unknown> => {
    const res = await connectorFetch(
      `${s.url.replace(/\/$/, "")}/jsonrpc`,
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", method: "call", id: ++seq, params: { service, method, args } }),
      },
      patience,
    );
    clock.saw(res);
    const answer = RpcAnswer.safeParse(await res.json());
    if (!answer.success) throw new RemoteError("odoo_bad_answer", "Odoo answered something that is not JSON-RPC", true);
    if ("error" in answer.data) throw odooError(answer.data.error.data?.name, answer.data.error.data?.message ?? answer.data.error.message);
    return answer.data.result;
  };
  const login = async (): Promise<number> => {
    if (uid !== undefined) return uid;
    const result = await rpc("common", "authenticate", [s.db, s.login ?? "admin", s.apiKey, {}]);
    if (typeof result !== "number") throw new RemoteError("odoo_access_denied", `Odoo refused the login of "${s.login ?? "admin"}" on ${s.db}`, false);
    uid = result;
    return uid;
  };
  const kw = async (model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) =>
    rpc("object", "execute_kw", [s.db, await login(), s.apiKey, model, method, args, kwargs]);
  return {
    async version() {
      if (major === undefined) {
        const v = z.object({ server_serie: z.string() }).parse(await rpc("common", "version", []));
        major = Number.parseInt(v.server_serie, 10);
      }
      return major;
    },
    serverTime: clock.now,
    async searchRead(model, domain, opts) {
      return Records.parse(await kw(model, "search_read", [domain], { ...opts }));
    },
    async read(model, ids, fields) {
      return Records.parse(await kw(model, "read", [ids], { fields }));
    },
    async create(model, vals) {
      return z.number().parse(await kw(model, "create", [vals]));
    },
    async write(model, ids, vals) {
      await kw(model, "write", [ids, vals]);
    },
    async act(model, method, ids, context) {
      return kw(model, method, [ids], context ? { context } : {});
    },
  };
}

const Json2Error = z.object({ name: z.string().optional(), message: z.string().optional() });

function json2Client(s: OdooSettings, patience: Patience): OdooClient {
  const base = s.url.replace(/\/$/, "");
  let major: number | undefined;
  const clock = serverClock();
  const call = async (model: string, method: string, body: Record<string, unknown>): Promise<unknown> => {
    let res: Response;
    try {
      res = await connectorFetch(
        `${base}/json/2/${model}/${method}`,
        {
          method: "POST",
          headers: { authorization: `bearer ${s.apiKey}`, "x-odoo-database": s.db, "content-type": "application/json; charset=utf-8" },
          body: JSON.stringify(body),
        },
        patience,
      );
    } catch (e) {
      // JSON-2 answers Odoo's exception as a JSON body with a 4xx/5xx status; connectorFetch kept its start.
      if (e instanceof RemoteError && !e.retryable && e.code !== "unauthorized") {
        const json = /\{.*\}/s.exec(e.remoteBody ?? "")?.[0];
        const parsed = json ? Json2Error.safeParse(safeJson(json)) : undefined;
        if (parsed?.success) throw odooError(parsed.data.name, parsed.data.message ?? e.message);
        // Odoo 18 and older have no /json/2: werkzeug answers its HTML 404 page.
        if (e.code === "http_404")
          throw new RemoteError(
            "odoo_protocol_mismatch",
            `${base} has no JSON-2 API (/json/2 answered 404): JSON-2 needs Odoo 19 or newer; set "protocol": "jsonrpc" (with "login") for Odoo 16–18`,
            false,
          );
      }
      throw e;
    }
    clock.saw(res);
    return res.json();
  };
  return {
    async version() {
      if (major === undefined) {
        const res = await connectorFetch(`${base}/web/version`, { method: "GET" }, patience);
        major = Number.parseInt(z.object({ version: z.string() }).parse(await res.json()).version, 10);
      }
      return major;
    },
    serverTime: clock.now,
    async searchRead(model, domain, opts) {
      return Records.parse(await call(model, "search_read", { domain, ...opts }));
    },
    async read(model, ids, fields) {
      return Records.parse(await call(model, "read", { ids, fields }));
    },
    async create(model, vals) {
      const ids = z
        .array(z.number())
        .min(1)
        .parse(await call(model, "create", { vals_list: [vals] }));
      return ids[0] ?? 0;
    },
    async write(model, ids, vals) {
      await call(model, "write", { ids, vals });
    },
    async act(model, method, ids, context) {
      return call(model, method, context ? { ids, context } : { ids });
    },
  };
}

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

export const odooClient = (s: OdooSettings, patience: Patience): OdooClient => (s.protocol === "json2" ? json2Client(s, patience) : rpcClient(s, patience));
