import { z } from "zod";
import type { Patience } from "../../connectors/http";
import type { BigCommerceStockSettings } from "../../contract/connectors";
import type { StockTarget, StockUpdate, TargetResult } from "../stock-target";
import { bigCommerceClient } from "./client";

/** BigCommerce's limit of items per inventory adjustment. */
export const BIGCOMMERCE_BATCH = 2_000;
/** SKUs asked for in one catalog lookup (they travel in the query string). */
const SKUS_PER_LOOKUP = 50;
/** The default location every store has; used for every warehouse when no locations are mapped. */
export const DEFAULT_LOCATION = 1;

const Items = z.object({ data: z.array(z.object({ identity: z.object({ sku: z.string(), variant_id: z.number().int() }).loose() }).loose()) });

/**
 * Available stock into BigCommerce through the Inventory API: SKUs resolve to variant ids
 * (`GET /v3/inventory/items?sku:in=…`; every product has at least its base variant), quantities go
 * in as absolute adjustments per location (`PUT /v3/inventory/adjustments/absolute`, ≤ 2,000 items,
 * grouped by location as BigCommerce advises), all within the store's rate limit (see `client.ts`).
 */
export function bigCommerceTarget(s: BigCommerceStockSettings, patience: Patience): StockTarget {
  const call = bigCommerceClient(s, patience);
  const mapped = Object.keys(s.locations).length > 0;
  return {
    locationOf: (warehouse) => {
      if (!mapped) return String(DEFAULT_LOCATION);
      const id = s.locations[warehouse];
      return id === undefined ? undefined : String(id);
    },
    batchSize: BIGCOMMERCE_BATCH,
    async resolve(skus) {
      const found = new Map<string, string>();
      for (let i = 0; i < skus.length; i += SKUS_PER_LOOKUP) {
        const chunk = skus.slice(i, i + SKUS_PER_LOOKUP);
        const query = new URLSearchParams({ "sku:in": chunk.join(","), limit: "250" });
        const { data } = Items.parse(await call("GET", `/v3/inventory/items?${query}`));
        for (const { identity } of data) if (chunk.includes(identity.sku)) found.set(identity.sku, String(identity.variant_id));
      }
      return found;
    },
    async push(updates: readonly StockUpdate[]): Promise<TargetResult> {
      const items = [...updates]
        .sort((a, b) => Number(a.location) - Number(b.location))
        .map((u) => ({ location_id: Number(u.location), variant_id: Number(u.itemId), quantity: u.qty }));
      await call("PUT", "/v3/inventory/adjustments/absolute", { reason: "Backroom: available stock from the ERP", items });
      return { failed: new Map() };
    },
  };
}
