import { z } from "zod";
import type { WooStockSettings } from "../../contract/connectors";
import { toBase64, utf8 } from "../../domain/encoding";
import { connectorFetch, type Patience } from "../../connectors/http";
import type { StockTarget, StockUpdate, TargetResult } from "../stock-target";

/** WooCommerce's limit of objects per `products/batch` call. */
export const WOO_BATCH = 100;

const Products = z.array(z.object({ id: z.number(), sku: z.string(), parent_id: z.number().optional() }));
const BatchAnswer = z.object({
  update: z.array(z.object({ id: z.number(), error: z.object({ code: z.string(), message: z.string() }).optional() })).optional(),
});

/**
 * Available stock into WooCommerce through its REST API: one stock per product (the sum over
 * warehouses), `POST /wp-json/wc/v3/products/batch` with `stock_quantity` (≤ 100 a call);
 * variations go to their parent's `variations/batch`. 429 Retry-After is honoured by connectorFetch.
 */
export function wooTarget(s: WooStockSettings, patience: Patience): StockTarget {
  const base = `${s.url.replace(/\/$/, "")}/wp-json/wc/v3`;
  const headers = { authorization: `Basic ${toBase64(utf8(`${s.consumerKey}:${s.consumerSecret}`))}`, "content-type": "application/json" };
  return {
    locationOf: () => "",
    batchSize: WOO_BATCH,
    async resolve(skus) {
      const found = new Map<string, string>();
      for (let i = 0; i < skus.length; i += 100) {
        const chunk = skus.slice(i, i + 100);
        const res = await connectorFetch(`${base}/products?${new URLSearchParams({ sku: chunk.join(","), per_page: "100" })}`, { headers }, patience);
        for (const p of Products.parse(await res.json())) {
          if (chunk.includes(p.sku)) found.set(p.sku, p.parent_id ? `${p.parent_id}/${p.id}` : String(p.id));
        }
      }
      return found;
    },
    async push(updates: readonly StockUpdate[]): Promise<TargetResult> {
      const failed = new Map<number, string>();
      // Products in one batch; each parent's variations in their own.
      const groups = new Map<string, Array<{ index: number; id: number; qty: number }>>();
      updates.forEach((u, index) => {
        const [parent, child] = u.itemId.includes("/") ? u.itemId.split("/") : ["", u.itemId];
        const list = groups.get(parent ?? "") ?? [];
        list.push({ index, id: Number(child), qty: u.qty });
        groups.set(parent ?? "", list);
      });
      for (const [parent, list] of groups) {
        const path = parent ? `${base}/products/${parent}/variations/batch` : `${base}/products/batch`;
        const body = JSON.stringify({ update: list.map((u) => ({ id: u.id, manage_stock: true, stock_quantity: u.qty })) });
        const res = await connectorFetch(path, { method: "POST", headers, body }, patience);
        const answer = BatchAnswer.parse(await res.json());
        for (const r of answer.update ?? []) {
          const entry = list.find((u) => u.id === r.id);
          if (r.error && entry) failed.set(entry.index, `${r.error.code}: ${r.error.message}`);
        }
      }
      return { failed };
    },
  };
}
