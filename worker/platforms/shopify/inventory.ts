import { z } from "zod";
import type { ShopifyStockSettings } from "../../contract/connectors";
import { toHex } from "../../domain/encoding";
import { sha256 } from "../../domain/hmac";
import { RemoteError } from "../../connectors/errors";
import { connectorFetch, type Patience } from "../../connectors/http";
import { shopifyGraphqlUrl } from "./api";
import type { StockTarget, StockUpdate, TargetResult } from "../stock-target";

/** Shopify's limit of quantities per `inventorySetQuantities` call. */
export const SHOPIFY_BATCH = 250;

const ThrottleStatus = z.object({ maximumAvailable: z.number(), currentlyAvailable: z.number(), restoreRate: z.number() });
const Answer = z.object({
  data: z.unknown().optional(),
  errors: z.array(z.object({ message: z.string(), extensions: z.object({ code: z.string().optional() }).optional() })).optional(),
  extensions: z.object({ cost: z.object({ requestedQueryCost: z.number(), throttleStatus: ThrottleStatus }).optional() }).optional(),
});
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
  const url = shopifyGraphqlUrl(s);
  let bucket: z.infer<typeof ThrottleStatus> | undefined;
  let lastCost = 10;

  /** Waits until the bucket holds what the next call is likely to cost. */
  const pace = async () => {
    if (!bucket || bucket.currentlyAvailable >= lastCost) return;
    const ms = Math.ceil(((lastCost - bucket.currentlyAvailable) / Math.max(bucket.restoreRate, 1)) * 1000);
    await patience.sleep(ms);
    bucket = { ...bucket, currentlyAvailable: lastCost };
  };

  const graphql = async (query: string, variables: Record<string, unknown>): Promise<unknown> => {
    for (let attempt = 1; attempt <= patience.attempts; attempt++) {
      await pace();
      const res = await connectorFetch(
        url,
        {
          method: "POST",
          headers: { "x-shopify-access-token": s.accessToken, "content-type": "application/json" },
          body: JSON.stringify({ query, variables }),
        },
        patience,
      );
      const answer = Answer.parse(await res.json());
      const cost = answer.extensions?.cost;
      if (cost) {
        bucket = cost.throttleStatus;
        lastCost = cost.requestedQueryCost;
      }
      if (answer.errors?.some((e) => e.extensions?.code === "THROTTLED")) {
        lastCost = Math.max(lastCost, (bucket?.currentlyAvailable ?? 0) + 1);
        continue;
      }
      if (answer.errors?.length) throw new RemoteError("shopify_graphql_error", answer.errors.map((e) => e.message).join("; "), false);
      return answer.data;
    }
    throw new RemoteError("rate_limited", "Shopify kept answering THROTTLED", true);
  };

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
