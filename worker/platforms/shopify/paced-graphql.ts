import { z } from "zod";
import { RemoteError } from "../../connectors/errors";
import { connectorFetch, type Patience } from "../../connectors/http";
import type { ShopifyStockSettings } from "../../contract/connectors";
import { shopifyGraphqlUrl } from "./api";

const ThrottleStatus = z.object({ maximumAvailable: z.number(), currentlyAvailable: z.number(), restoreRate: z.number() });
const Answer = z.object({
  data: z.unknown().optional(),
  errors: z.array(z.object({ message: z.string(), extensions: z.object({ code: z.string().optional() }).optional() })).optional(),
  extensions: z.object({ cost: z.object({ requestedQueryCost: z.number(), throttleStatus: ThrottleStatus }).optional() }).optional(),
});

/**
 * Admin GraphQL calls paced by the cost-based throttle Shopify reports in
 * `extensions.cost.throttleStatus`: each call waits until the bucket holds what the last one cost,
 * and a THROTTLED answer is tried again (up to `patience.attempts`). One pacer per job: the bucket
 * it remembers is the shop's.
 */
export function pacedShopifyGraphql(
  s: Pick<ShopifyStockSettings, "shopDomain" | "accessToken" | "apiVersion">,
  patience: Patience,
): (query: string, variables: Record<string, unknown>) => Promise<unknown> {
  const url = shopifyGraphqlUrl(s);
  let bucket: z.infer<typeof ThrottleStatus> | undefined;
  let lastCost = 10;

  const pace = async () => {
    if (!bucket || bucket.currentlyAvailable >= lastCost) return;
    const ms = Math.ceil(((lastCost - bucket.currentlyAvailable) / Math.max(bucket.restoreRate, 1)) * 1000);
    await patience.sleep(ms);
    bucket = { ...bucket, currentlyAvailable: lastCost };
  };

  return async (query, variables) => {
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
}
