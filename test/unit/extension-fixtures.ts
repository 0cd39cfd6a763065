import type { HandlerDeps } from "../../extension/lib/background/handle";
import { edgeClient } from "../../extension/lib/edge-client";
import type { ShopSettings } from "../../extension/lib/settings";

/** The shop the extension's unit tests configure: a Shopify admin on a made-up edge. */
export const SHOP: ShopSettings = {
  id: "s1",
  edgeUrl: "https://edge.example",
  shopId: "acme",
  staffKey: "sk_secret",
  adminUrl: "https://admin.shopify.com/store/acme",
};

export const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

/** The background's dependencies around an edge `fetchImpl`: settings in memory, the last answers kept in memory. */
export function handlerDeps(fetchImpl: typeof fetch, shops: ShopSettings[] = [SHOP], granted = true): HandlerDeps {
  const kept = new Map<string, { data: unknown; at: string }>();
  return {
    settings: async () => ({ shops }),
    client: (shop) => edgeClient(shop, fetchImpl),
    hasOrigin: async () => granted,
    syncRegistrations: async () => [],
    liveStatus: () => ({}),
    lastKnown: { get: async (k) => kept.get(k), set: async (k, v) => void kept.set(k, v) },
  };
}
