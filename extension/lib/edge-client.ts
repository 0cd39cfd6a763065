import type { z } from "zod";
import {
  AuditSummary,
  ConnectorsView,
  ErrorBody,
  PromiseAnswer,
  ReplayResult,
  StaffLiveTicket,
  StaffOrder,
  StaffOrderList,
  StaffProduct,
  StaffProductList,
  StaffSearchResult,
  StaffStockPushResult,
  SyncHealth,
} from "../../worker/contract";
import { AcceptedAlias, QualityReport, StaffForecast } from "../../worker/contract/quality";
import type { ErrorCode } from "./messages";
import type { ShopSettings } from "./settings";

/** A failed edge call, with a code the UI can switch on and a message staff can act on. */
export class EdgeError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** The edge's own error code, when it answered with one. */
    readonly edgeCode?: string,
  ) {
    super(message);
    this.name = "EdgeError";
  }
}

type Query = Record<string, string | readonly string[] | undefined>;

/**
 * The staff API of one shop, typed by the contract's schemas and validated on receipt. Used by the
 * background only: it is the one place that holds the staff key.
 *
 * @example
 * const edge = edgeClient(shop);
 * const tee = await edge.product("TEE-M");
 */
export function edgeClient(shop: Pick<ShopSettings, "edgeUrl" | "shopId" | "staffKey">, fetchImpl: typeof fetch = fetch) {
  const base = `${shop.edgeUrl}/v1/staff/${encodeURIComponent(shop.shopId)}`;

  async function call<S extends z.ZodType>(method: "GET" | "POST", path: string, schema: S, query: Query = {}, json?: unknown): Promise<z.infer<S>> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) for (const v of typeof value === "string" ? [value] : (value ?? [])) params.append(key, v);
    const url = `${base}${path}${params.size > 0 ? `?${params}` : ""}`;
    let res: Response;
    try {
      const headers = { authorization: `Bearer ${shop.staffKey}`, accept: "application/json" };
      res = await fetchImpl(
        url,
        json === undefined ? { method, headers } : { method, headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(json) },
      );
    } catch {
      throw new EdgeError("unreachable", `The edge at ${shop.edgeUrl} is not answering: it is stopped, or this computer is offline`);
    }
    const body: unknown = await res.json().catch(() => undefined);
    // Every answer of a Backroom edge is JSON, and every error has its error body: anything else is another server.
    if (body === undefined || (!res.ok && !ErrorBody.safeParse(body).success)) {
      throw new EdgeError("wrong_url", `Something answered at ${shop.edgeUrl} (HTTP ${res.status}), but not as a Backroom edge: check the Edge URL`);
    }
    if (res.ok) {
      const parsed = schema.safeParse(body);
      if (!parsed.success) throw new EdgeError("bad_response", `The edge at ${shop.edgeUrl} answered ${path} in an unexpected shape`);
      return parsed.data;
    }
    const error = ErrorBody.safeParse(body);
    const code = error.success ? error.data.error.code : undefined;
    const message = error.success ? error.data.error.message : `HTTP ${res.status}`;
    if (res.status === 403) throw new EdgeError("forbidden", message, code);
    if (res.status === 401) throw new EdgeError("unauthorized", `The edge rejected the staff key for shop "${shop.shopId}"`, code);
    if (code === "shop_not_found") throw new EdgeError("shop_not_found", `The edge at ${shop.edgeUrl} has no shop "${shop.shopId}"`, code);
    if (res.status === 404 && code === "not_found") throw new EdgeError("not_supported", `This edge does not offer ${path.split("/")[1] ?? path} yet`, code);
    if (res.status === 404) throw new EdgeError("not_found", message, code);
    if (res.status === 400) throw new EdgeError("bad_request", message, code);
    throw new EdgeError("edge_error", `The edge answered ${res.status}: ${message}`, code);
  }

  const seg = encodeURIComponent;
  return {
    product: (sku: string) => call("GET", `/products/${seg(sku)}`, StaffProduct),
    productByPlatformId: (id: string, kind: "product" | "variant") => call("GET", `/products/by-platform-id/${seg(id)}`, StaffProduct, { kind }),
    products: (q: { sku: readonly string[]; platformId: readonly string[]; kind: "product" | "variant" }) => call("GET", "/products", StaffProductList, q),
    order: (ref: string) => call("GET", `/orders/${seg(ref)}`, StaffOrder),
    orders: (q: { ref: readonly string[]; number: readonly string[] }) => call("GET", "/orders", StaffOrderList, q),
    sync: () => call("GET", "/sync", SyncHealth),
    replay: (deliveryId: string) => call("POST", `/sync/${seg(deliveryId)}/replay`, ReplayResult),
    pushStock: (sku: string) => call("POST", `/products/${seg(sku)}/push-stock`, StaffStockPushResult),
    promise: (sku: string, qty: string) => call("GET", "/promise", PromiseAnswer, { sku, qty }),
    audit: () => call("GET", "/audit", AuditSummary, { limit: "10" }),
    search: (q: string) => call("GET", "/search", StaffSearchResult, { q }),
    forecast: (sku: string) => call("GET", `/forecast/${seg(sku)}`, StaffForecast),
    quality: () => call("GET", "/quality", QualityReport, { limit: "20" }),
    acceptAlias: (alias: string, sku: string) => call("POST", "/quality/aliases", AcceptedAlias, {}, { alias, sku }),
    connectors: () => call("GET", "/connectors", ConnectorsView, { limit: "1" }),
    liveTicket: () => call("POST", "/live/ticket", StaffLiveTicket),
    /** The WebSocket URL of a ticket's path on this edge. */
    liveUrl: (path: string) => new URL(path, `${shop.edgeUrl}/`).href.replace(/^http/, "ws"),
  };
}
export type EdgeClient = ReturnType<typeof edgeClient>;
