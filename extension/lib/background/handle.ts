import { type EdgeClient, EdgeError } from "../edge-client";
import { type ErpSystem, erpSystemOf } from "../erp-links";
import { EXTENSION_ONLY, type LiveState, type OrderQuery, type ProductQuery, type Reply, Request, type Result } from "../messages";
import { originPattern, type Settings, type ShopSettings, shopForUrl } from "../settings";

/** What the background's message handler needs from the browser, injected so it can be tested without one. */
export interface HandlerDeps {
  settings: () => Promise<Settings>;
  client: (shop: Pick<ShopSettings, "edgeUrl" | "shopId" | "staffKey">) => EdgeClient;
  hasOrigin: (pattern: string) => Promise<boolean>;
  syncRegistrations: () => Promise<string[]>;
  /** Each shop's live connection, by settings entry id. */
  liveStatus: () => Record<string, LiveState>;
  /** The last answers to page questions, kept so a page can show them while the edge is down. */
  lastKnown: LastKnownStore;
}

export interface LastKnownStore {
  get: (key: string) => Promise<{ data: unknown; at: string } | undefined>;
  set: (key: string, value: { data: unknown; at: string }) => Promise<void>;
}

/** Page questions whose last answer is worth keeping: the panels. Lists and searches are cheap to ask again. */
const KEPT: ReadonlySet<Request["type"]> = new Set(["product", "order"]);
/** Failures where the last answer is still the best there is: the edge cannot answer, not "the answer is no". */
const EDGE_DOWN = new Set(["unreachable", "edge_error"]);

/** Who sent a message: an extension page (options, popup) or a content script in an admin tab. */
export interface Sender {
  url: string | undefined;
  fromExtensionPage: boolean;
}

const fail = (code: Extract<Result<never>, { ok: false }>["error"]["code"], message: string) => ({ ok: false as const, error: { code, message } });

async function product(edge: EdgeClient, q: ProductQuery) {
  if (q.sku !== undefined) {
    try {
      return await edge.product(q.sku);
    } catch (e) {
      // A SKU on the page the ERP does not know: the platform id may still map to the ERP's SKU.
      if (!(e instanceof EdgeError && e.code === "not_found" && q.platformId)) throw e;
    }
  }
  if (!q.platformId) throw new EdgeError("not_found", "No SKU on this page and no platform id to look up");
  try {
    return await edge.productByPlatformId(q.platformId.id, q.platformId.kind);
  } catch (e) {
    if (e instanceof EdgeError && e.code === "not_found") {
      throw new EdgeError(
        "not_found",
        q.sku !== undefined
          ? `The ERP has not pushed SKU "${q.sku}", and the edge has not seen this ${q.platformId.kind} in an order yet`
          : `No SKU on this page, and the edge has not seen this ${q.platformId.kind} (${q.platformId.id}) in an order yet`,
      );
    }
    throw e;
  }
}

async function order(edge: EdgeClient, q: OrderQuery) {
  const found = await edge.orders({ ref: q.ref ? [q.ref] : [], number: q.number ? [q.number] : [] });
  const hit = found.items.find((i) => i.by === "ref") ?? found.items[0];
  if (!hit)
    throw new EdgeError(
      "not_found",
      `The edge has no order ${q.number ? `#${q.number}` : q.ref} yet (it appears once the shop's webhook or the ERP reports it)`,
    );
  const { deliveries, ...full } = await edge.order(hit.orderRef);
  // An edge without the order pipeline reports no deliveries at all (not an empty list).
  return { order: full, ...(deliveries ? { deliveries } : {}) };
}

/** The shop's ERP for deep links; an edge that will not say (an older edge, a key without access) simply gets none. */
async function erpOf(edge: EdgeClient): Promise<{ erp?: ErpSystem }> {
  const erp = await edge.connectors().then(erpSystemOf, () => undefined);
  return erp ? { erp } : {};
}

async function answer(req: Request, shop: ShopSettings, deps: HandlerDeps): Promise<Reply<Request["type"]>> {
  const edge = deps.client(shop);
  switch (req.type) {
    case "product": {
      // The forecast (issue 15) is an extra, asked at the same time when the page names the SKU: an edge
      // without it, or a SKU without stock, shows the panel without it.
      const early = req.query.sku !== undefined ? edge.forecast(req.query.sku).catch(() => undefined) : undefined;
      const [found, erp] = await Promise.all([product(edge, req.query), erpOf(edge)]);
      const forecast = await (early && found.sku === req.query.sku ? early : edge.forecast(found.sku).catch(() => undefined));
      return { shop: shop.shopId, product: found, ...erp, ...(forecast ? { forecast } : {}) };
    }
    case "search":
      return { shop: shop.shopId, product: await product(edge, { sku: req.sku }) };
    case "find":
      return edge.search(req.q);
    case "replayInShop":
      return edge.replay(req.deliveryId);
    case "order": {
      const [found, erp] = await Promise.all([order(edge, req.query), erpOf(edge)]);
      return { shop: shop.shopId, ...found, ...erp };
    }
    case "productBadges":
      return edge.products({ sku: req.skus, platformId: req.platformIds, kind: req.kind });
    case "orderBadges":
      return edge.orders({ ref: req.refs, number: req.numbers });
    case "replay":
      return edge.replay(req.deliveryId);
    case "pushStock":
      return edge.pushStock(req.sku);
    case "promise":
      return edge.promise(req.sku, req.qty);
    case "quality":
      return edge.quality();
    case "acceptAlias":
      return edge.acceptAlias(req.alias, req.sku);
    case "syncHealth":
      return edge.sync().catch((e) => {
        if (e instanceof EdgeError && e.code === "not_supported") return null;
        throw e;
      });
    case "audit":
      return edge.audit().catch((e) => {
        if (e instanceof EdgeError && e.code === "not_supported") return null;
        throw e;
      });
    case "testConnection": {
      // The batched lookup with nothing to look up: exercises the shop id and the key, costs nothing.
      await edge.products({ sku: [], platformId: [], kind: "product" });
      const syncRoutes = await edge.sync().then(
        () => true,
        () => false,
      );
      return { shopId: shop.shopId, edgeUrl: shop.edgeUrl, syncRoutes };
    }
    case "syncRegistrations":
      return { registered: await deps.syncRegistrations() };
    case "liveStatus":
      return deps.liveStatus();
  }
}

/**
 * The background's one message handler: validates the request, picks the shop (from the sending
 * tab's URL for content scripts, by id for extension pages), checks the edge permission, calls the
 * edge, and answers a `Result`. Staff keys never leave this function.
 */
export async function handleMessage(raw: unknown, sender: Sender, deps: HandlerDeps): Promise<Result<unknown>> {
  const parsed = Request.safeParse(raw);
  if (!parsed.success) return fail("bad_request", "Unknown or malformed request");
  const req = parsed.data;
  if (EXTENSION_ONLY.has(req.type) && !sender.fromExtensionPage) return fail("bad_request", "Only the extension's own pages may ask this");
  if (req.type === "syncRegistrations") return { ok: true, data: { registered: await deps.syncRegistrations() } };
  if (req.type === "liveStatus") return { ok: true, data: deps.liveStatus() };

  const { shops } = await deps.settings();
  let shop: ShopSettings | undefined;
  if (req.type === "testConnection") shop = req.shop;
  else if (req.type === "search" || req.type === "find" || req.type === "syncHealth" || req.type === "replayInShop" || req.type === "audit")
    shop = shops.find((s) => s.id === req.shop);
  else shop = sender.url ? shopForUrl(shops, sender.url) : undefined;
  if (!shop) return fail("not_configured", "This admin is not linked to a Backroom shop yet");
  if (!(await deps.hasOrigin(originPattern(shop.edgeUrl)))) return fail("permission_missing", `The extension may not contact ${shop.edgeUrl} yet`);

  const keep = KEPT.has(req.type) ? `${shop.id} ${JSON.stringify(req)}` : undefined;
  try {
    const data = await answer(req, shop, deps);
    if (keep) await deps.lastKnown.set(keep, { data, at: new Date().toISOString() });
    return { ok: true, data };
  } catch (e) {
    const failure = e instanceof EdgeError ? fail(e.code, e.message) : fail("edge_error", e instanceof Error ? e.message : "Unexpected failure");
    const kept = keep && EDGE_DOWN.has(failure.error.code) ? await deps.lastKnown.get(keep) : undefined;
    return kept ? { ...failure, lastKnown: kept } : failure;
  }
}
