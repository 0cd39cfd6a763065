import { z } from "zod";
import { connectorFetch, type Patience } from "../../connectors/http";
import type { MagentoStockSettings } from "../../contract/connectors";
import type { StockTarget, StockUpdate, TargetResult } from "../stock-target";
import { magentoBase, magentoHeaders } from "./api";

/** Source items per `POST /V1/inventory/source-items` call. */
export const MAGENTO_BATCH = 500;
const SKUS_PER_LOOKUP = 100;
/** The source every Magento store has (single-source mode). */
export const DEFAULT_SOURCE = "default";

const Products = z.object({ items: z.array(z.object({ sku: z.string() }).loose()).nullish() });

/**
 * Available stock into Magento's MSI: one source item per SKU and source
 * (`POST /V1/inventory/source-items` with `quantity` and `status`), SKUs checked against the catalog
 * first (`GET /V1/products?searchCriteria…sku in…`), since a batch with an unknown SKU is refused
 * whole. 429/503 Retry-After is honoured by connectorFetch.
 */
export function magentoTarget(s: MagentoStockSettings, patience: Patience): StockTarget {
  const base = magentoBase(s);
  const headers = magentoHeaders(s);
  const mapped = Object.keys(s.sources).length > 0;
  return {
    locationOf: (warehouse) => (mapped ? s.sources[warehouse] : DEFAULT_SOURCE),
    batchSize: MAGENTO_BATCH,
    async resolve(skus) {
      const found = new Map<string, string>();
      for (let i = 0; i < skus.length; i += SKUS_PER_LOOKUP) {
        const chunk = skus.slice(i, i + SKUS_PER_LOOKUP);
        const query = new URLSearchParams({
          "searchCriteria[filter_groups][0][filters][0][field]": "sku",
          "searchCriteria[filter_groups][0][filters][0][value]": chunk.join(","),
          "searchCriteria[filter_groups][0][filters][0][condition_type]": "in",
          "searchCriteria[pageSize]": String(SKUS_PER_LOOKUP),
          fields: "items[sku]",
        });
        const res = await connectorFetch(`${base}/products?${query}`, { headers }, patience);
        for (const p of Products.parse(await res.json()).items ?? []) if (chunk.includes(p.sku)) found.set(p.sku, p.sku);
      }
      return found;
    },
    async push(updates: readonly StockUpdate[]): Promise<TargetResult> {
      const sourceItems = updates.map((u) => ({ sku: u.itemId, source_code: u.location, quantity: u.qty, status: u.qty > 0 ? 1 : 0 }));
      await connectorFetch(`${base}/inventory/source-items`, { method: "POST", headers, body: JSON.stringify({ sourceItems }) }, patience);
      return { failed: new Map() };
    },
  };
}
