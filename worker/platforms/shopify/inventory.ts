import { z } from "zod";
import { RemoteError } from "../../connectors/errors";
import type { Patience } from "../../connectors/http";
import type { ShopifyStockSettings } from "../../contract/connectors";
import { toHex } from "../../domain/encoding";
import { sha256 } from "../../domain/hmac";
import type { StockTarget, StockUpdate, TargetResult } from "../stock-target";
import { pacedShopifyGraphql } from "./paced-graphql";

/** Shopify's limit of quantities per `inventorySetQuantities` call. */
export const SHOPIFY_BATCH = 250;

const ItemsData = z.object({ inventoryItems: z.object({ nodes: z.array(z.object({ id: z.string(), sku: z.string().nullable() })) }) });
const SetData = z.object({
  inventorySetQuantities: z.object({
    userErrors: z.array(z.object({ code: z.string().nullable().optional(), field: z.array(z.string()).nullable().optional(), message: z.string() })),
  }),
});

const SET_QUANTITIES = `mutation SetStock($input: InventorySetQuantitiesInput!, $key: String!) {
  inventorySetQuantities(input: $input) @idempotent(key: $key) {
    inventoryAdjustmentGroup { id }
    userErrors { code field message }
  }
}`;
const FIND_ITEMS = `query FindItems($q: String!) { inventoryItems(first: 250, query: $q) { nodes { id sku } } }`;

/**
 * Available stock into Shopify through the Admin GraphQL API: `inventorySetQuantities` with the
 * `available` quantity per inventory item and location (≤ 250 a call, an `@idempotent` key per call,
 * `changeFromQuantity: null` because the ERP is the source of truth), paced
 * by the cost-based throttle Shopify reports in `extensions.cost.throttleStatus`.
 */
export function shopifyTarget(s: ShopifyStockSettings, patience: Patience): StockTarget {
  const graphql = pacedShopifyGraphql(s, patience);

  return {
    locationOf: (warehouse) => s.locations[warehouse],
    batchSize: SHOPIFY_BATCH,
    async resolve(skus) {
      const found = new Map<string, string>();
      for (let i = 0; i < skus.length; i += 50) {
        const chunk = skus.slice(i, i + 50);
        const q = chunk.map((sku) => `sku:${JSON.stringify(sku)}`).join(" OR ");
        const data = ItemsData.parse(await graphql(FIND_ITEMS, { q }));
        for (const n of data.inventoryItems.nodes) if (n.sku && chunk.includes(n.sku)) found.set(n.sku, n.id);
      }
      return found;
    },
    async push(updates: readonly StockUpdate[]): Promise<TargetResult> {
      // One call is all or nothing: when some quantities are refused, the rest go again without them.
      const failed = new Map<number, string>();
      for (let round = 0; round < 2; round++) {
        const sent = updates.map((u, index) => ({ u, index })).filter(({ index }) => !failed.has(index));
        if (sent.length === 0) break;
        const quantities = sent.map(({ u }) => ({ inventoryItemId: u.itemId, locationId: u.location, quantity: u.qty, changeFromQuantity: null }));
        const key = toHex(await sha256(`${crypto.randomUUID()} ${JSON.stringify(quantities)}`)).slice(0, 32); // per call: the same quantities pushed again (staff forcing a push after a manual edit in Shopify) must apply, not replay
        const input = { name: "available", reason: "correction", referenceDocumentUri: "gid://backroom/StockSync/erp", quantities };
        const data = SetData.parse(await graphql(SET_QUANTITIES, { input, key }));
        const errors = data.inventorySetQuantities.userErrors;
        if (errors.length === 0) return { failed };
        for (const e of errors) {
          const at = sent[Number(e.field?.[2])];
          if (e.field?.[1] === "quantities" && at) failed.set(at.index, `${e.code ?? "error"}: ${e.message}`);
          else throw new RemoteError("shopify_user_error", `${e.code ?? "error"}: ${e.message}`, false);
        }
      }
      for (let i = 0; i < updates.length; i++) if (!failed.has(i)) failed.set(i, "not applied: Shopify refused the batch twice");
      return { failed };
    },
  };
}
