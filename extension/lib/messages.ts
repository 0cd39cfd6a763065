import { z } from "zod";
import {
  AuditSummary,
  PromiseAnswer,
  ReplayResult,
  StaffOrder,
  StaffOrderList,
  StaffProduct,
  StaffProductList,
  StaffSearchResult,
  StaffStockPushResult,
  SyncDelivery,
  SyncHealth,
} from "../../worker/contract";
import { AcceptedAlias, QualityReport, StaffForecast } from "../../worker/contract/quality";
import { ErpSystem } from "./erp-links";
import { ShopSettings } from "./settings";

/**
 * The typed protocol between the extension's pages (content scripts, options, popup) and the
 * background, which alone talks to the edge and alone reads staff keys. Both directions are
 * validated: a request when the background receives it, a reply when the sender receives it.
 */

export const ProductQuery = z
  .object({
    sku: z.string().min(1).max(128).optional(),
    platformId: z.object({ kind: z.enum(["product", "variant"]), id: z.string().min(1).max(128) }).optional(),
  })
  .refine((q) => q.sku !== undefined || q.platformId !== undefined, "a SKU or a platform id");
export type ProductQuery = z.infer<typeof ProductQuery>;

export const OrderQuery = z
  .object({ ref: z.string().min(1).max(64).optional(), number: z.string().min(1).max(64).optional() })
  .refine((q) => q.ref !== undefined || q.number !== undefined, "an order ref or number");
export type OrderQuery = z.infer<typeof OrderQuery>;

/** Requests a content script may send: the shop is the one whose admin the sending tab shows. */
const PageRequest = z.discriminatedUnion("type", [
  z.object({ type: z.literal("product"), query: ProductQuery }),
  z.object({ type: z.literal("order"), query: OrderQuery }),
  z.object({
    type: z.literal("productBadges"),
    skus: z.array(z.string().min(1).max(128)).max(100),
    platformIds: z.array(z.string().min(1).max(128)).max(100),
    kind: z.enum(["product", "variant"]),
  }),
  z.object({ type: z.literal("orderBadges"), refs: z.array(z.string().min(1).max(64)).max(100), numbers: z.array(z.string().min(1).max(64)).max(100) }),
  z.object({ type: z.literal("replay"), deliveryId: z.string().min(1).max(128) }),
  /** Push the ERP's available stock of this SKU to the shop platform now (staff key scope `operate`). */
  z.object({ type: z.literal("pushStock"), sku: z.string().min(1).max(128) }),
  /** The promise for a typed quantity of this SKU (issue 12). */
  z.object({ type: z.literal("promise"), sku: z.string().min(1).max(128), qty: z.string().min(1).max(32) }),
  /** The shop's data quality report, first page (issue 15): the product list's summary. */
  z.object({ type: z.literal("quality") }),
  /** Accept a suggested match of the quality report: the platform's SKU becomes an alias of the ERP's (scope `operate`). */
  z.object({ type: z.literal("acceptAlias"), alias: z.string().min(1).max(128), sku: z.string().min(1).max(128) }),
]);

/** Requests only extension pages (options, popup) may send; they name the shop explicitly. */
const ExtensionRequest = z.discriminatedUnion("type", [
  z.object({ type: z.literal("testConnection"), shop: ShopSettings }),
  z.object({ type: z.literal("search"), shop: z.string(), sku: z.string().min(1).max(128) }),
  z.object({ type: z.literal("find"), shop: z.string(), q: z.string().trim().min(2).max(128) }),
  z.object({ type: z.literal("syncHealth"), shop: z.string() }),
  z.object({ type: z.literal("audit"), shop: z.string() }),
  z.object({ type: z.literal("replayInShop"), shop: z.string(), deliveryId: z.string().min(1).max(128) }),
  z.object({ type: z.literal("liveStatus") }),
  z.object({ type: z.literal("syncRegistrations") }),
]);

export const Request = z.union([PageRequest, ExtensionRequest]);
export type Request = z.infer<typeof Request>;
export const EXTENSION_ONLY: ReadonlySet<Request["type"]> = new Set([
  "testConnection",
  "search",
  "find",
  "syncHealth",
  "audit",
  "replayInShop",
  "liveStatus",
  "syncRegistrations",
]);

/** The order panel's view: the edge's order and, once the order pipeline exists, its deliveries to the ERP. */
export const OrderView = z.object({
  shop: z.string(),
  order: StaffOrder,
  /** `undefined` when the edge has no delivery tracking (the order pipeline's routes are absent). */
  deliveries: z.array(SyncDelivery).optional(),
  /** The shop's ERP, when its connector says which: for links to the ERP's own records. */
  erp: ErpSystem.optional(),
});
export type OrderView = z.infer<typeof OrderView>;

export const ProductView = z.object({ shop: z.string(), product: StaffProduct, erp: ErpSystem.optional(), forecast: StaffForecast.optional() });
export type ProductView = z.infer<typeof ProductView>;

/** The state of one shop's live connection, as the background keeps it. */
export const LiveState = z.object({
  state: z.enum(["connecting", "live", "offline", "unauthorized", "wrong_url", "no_permission"]),
  /** When the connection entered this state (ISO). */
  since: z.string(),
  message: z.string().optional(),
});
export type LiveState = z.infer<typeof LiveState>;

/** The port content scripts and extension pages open to hear what changed. */
export const LIVE_PORT = "backroom-live";
/** What the background posts on that port; `shop` is the settings entry the change belongs to. */
export const LiveEvent = z.discriminatedUnion("type", [
  z.object({ type: z.literal("stock"), shop: z.string(), skus: z.array(z.string()) }),
  z.object({ type: z.literal("orders"), shop: z.string(), orderRefs: z.array(z.string()) }),
  z.object({ type: z.literal("status"), shop: z.string(), status: LiveState }),
]);
export type LiveEvent = z.infer<typeof LiveEvent>;

export const ConnectionReport = z.object({ shopId: z.string(), edgeUrl: z.string(), syncRoutes: z.boolean() });

/** What each request type answers with when it succeeds. */
export const Replies = {
  product: ProductView,
  order: OrderView,
  productBadges: StaffProductList,
  orderBadges: StaffOrderList,
  replay: ReplayResult,
  pushStock: StaffStockPushResult,
  promise: PromiseAnswer,
  quality: QualityReport,
  acceptAlias: AcceptedAlias,
  testConnection: ConnectionReport,
  search: ProductView,
  find: StaffSearchResult,
  syncHealth: SyncHealth.nullable(),
  /** `null` when the edge keeps no audit log yet. */
  audit: AuditSummary.nullable(),
  replayInShop: ReplayResult,
  liveStatus: z.record(z.string(), LiveState),
  syncRegistrations: z.object({ registered: z.array(z.string()) }),
} satisfies Record<Request["type"], z.ZodType>;
export type Reply<T extends Request["type"]> = z.infer<(typeof Replies)[T]>;

/** Stable error codes the UI switches on. */
export const ErrorCode = z.enum([
  "not_configured",
  "permission_missing",
  "unreachable",
  "wrong_url",
  "unauthorized",
  /** The staff key lacks the scope the request needs (read, operate, configure). */
  "forbidden",
  "shop_not_found",
  "not_found",
  "not_supported",
  "bad_response",
  "bad_request",
  "edge_error",
]);
export type ErrorCode = z.infer<typeof ErrorCode>;
export const Failure = z.object({
  ok: z.literal(false),
  error: z.object({ code: ErrorCode, message: z.string() }),
  /** The last answer the edge gave to the same question, kept for when it cannot answer now. */
  lastKnown: z.object({ data: z.unknown(), at: z.string() }).optional(),
});
export type Failure = z.infer<typeof Failure>;
export type Result<T> = { ok: true; data: T } | { ok: false; error: Failure["error"]; lastKnown?: { data: T; at: string } };

/** Parses the background's reply to a request of type `type`. A malformed reply is a failure, never a cast. */
export function parseReply<T extends Request["type"]>(type: T, raw: unknown): Result<Reply<T>> {
  const schemas: { [K in Request["type"]]: z.ZodType<Reply<K>> } = Replies;
  const schema = schemas[type];
  const failure = Failure.safeParse(raw);
  if (failure.success) {
    const { error, lastKnown } = failure.data;
    const kept = lastKnown ? schema.safeParse(lastKnown.data) : undefined;
    return { ok: false, error, ...(lastKnown && kept?.success ? { lastKnown: { data: kept.data, at: lastKnown.at } } : {}) };
  }
  const envelope = z.object({ ok: z.literal(true), data: z.unknown() }).safeParse(raw);
  const data = envelope.success ? schema.safeParse(envelope.data.data) : undefined;
  if (data?.success) return { ok: true, data: data.data };
  return { ok: false, error: { code: "bad_response", message: "The extension's background answered in an unexpected shape" } };
}
