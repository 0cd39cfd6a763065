import { Hono } from "hono";

/**
 * A fake Shopify Admin GraphQL API for inventory, as documented for 2026-04+:
 * `inventoryItems(query: "sku:...")` and `inventorySetQuantities` (requires `@idempotent(key:)`,
 * `changeFromQuantity` on every quantity, at most 250 quantities, all-or-nothing with
 * `userErrors`), behind the cost-based leaky bucket (`extensions.cost.throttleStatus`, THROTTLED
 * errors when the bucket runs dry), and the catalogue as `productVariants` pages. Its clock moves only when a test advances it.
 */
export interface ShopifyFake {
  fetch(request: Request): Promise<Response>;
  /** SKU → inventory item gid. */
  items: Map<string, string>;
  locations: Set<string>;
  /** "itemGid|locationGid" → available. */
  levels: Map<string, number>;
  mutations: Array<{ key: string; count: number }>;
  throttled: number;
  bucket: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
  advance(ms: number): void;
  /** `productVariants` nodes in GraphQL shape (`{ id, sku, barcode, title, price, product: { id, title } }`), paged by `first`/`after`. */
  variants: unknown[];
  /** The `first` of every productVariants query. */
  variantPages: number[];
}

export const SHOPIFY_TOKEN = "shpat_test_0123456789";
export const MUTATION_COST = 10;
export const QUERY_COST = 12;

export function createShopifyFake(opts: { maximumAvailable?: number; restoreRate?: number } = {}): ShopifyFake {
  const fake: Omit<ShopifyFake, "fetch"> = {
    items: new Map(),
    locations: new Set(),
    levels: new Map(),
    mutations: [],
    throttled: 0,
    variants: [],
    variantPages: [],
    bucket: { maximumAvailable: opts.maximumAvailable ?? 2000, currentlyAvailable: opts.maximumAvailable ?? 2000, restoreRate: opts.restoreRate ?? 100 },
    advance(ms) {
      this.bucket.currentlyAvailable = Math.min(this.bucket.maximumAvailable, this.bucket.currentlyAvailable + (ms / 1000) * this.bucket.restoreRate);
    },
  };
  const seen = new Map<string, unknown>();
  const app = new Hono();
  const cost = (requested: number) => ({ cost: { requestedQueryCost: requested, actualQueryCost: requested, throttleStatus: { ...fake.bucket } } });

  app.post("/admin/api/:version/graphql.json", async (c) => {
    if (c.req.header("x-shopify-access-token") !== SHOPIFY_TOKEN)
      return c.json({ errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" }, 401);
    const { query, variables } = await c.req.json<{ query: string; variables: Record<string, unknown> }>();
    const requested = query.includes("inventorySetQuantities(") ? MUTATION_COST : QUERY_COST;
    if (fake.bucket.currentlyAvailable < requested) {
      fake.throttled++;
      return c.json({
        errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
        extensions: cost(requested),
      });
    }
    fake.bucket.currentlyAvailable -= requested;
    if (query.includes("inventoryItems(")) {
      const skus = [...String(variables.q).matchAll(/sku:("(?:[^"\\]|\\.)*"|\S+)/g)].map((m) => (m[1]?.startsWith('"') ? JSON.parse(m[1]) : m[1]));
      const nodes = skus.filter((sku) => fake.items.has(sku)).map((sku) => ({ id: fake.items.get(sku), sku }));
      return c.json({ data: { inventoryItems: { nodes } }, extensions: cost(requested) });
    }
    if (query.includes("productVariants(")) {
      // Shopify's cursors are opaque; here the index after which the page starts. At most 250 a page.
      const first = Number(variables.first);
      if (!(first >= 1 && first <= 250))
        return c.json({ errors: [{ message: "The first argument must be between 1 and 250", extensions: { code: "BAD_REQUEST" } }] });
      fake.variantPages.push(first);
      const from = variables.after ? Number(String(variables.after).replace("cursor:", "")) : 0;
      const nodes = fake.variants.slice(from, from + first);
      const more = from + first < fake.variants.length;
      return c.json({
        data: { productVariants: { pageInfo: { hasNextPage: more, endCursor: nodes.length ? `cursor:${from + nodes.length}` : null }, nodes } },
        extensions: cost(requested),
      });
    }
    if (!query.includes("inventorySetQuantities(")) return c.json({ errors: [{ message: "unsupported by the fake" }] });
    if (!/@idempotent\(key:/.test(query))
      return c.json({ errors: [{ message: "The @idempotent directive is required for this mutation.", extensions: { code: "BAD_REQUEST" } }] });
    const input = variables.input as { name: string; reason: string; quantities: Array<Record<string, unknown>> };
    const key = String(variables.key);
    if (seen.has(key)) return c.json({ data: seen.get(key), extensions: cost(requested) });
    if (input.name !== "available" && input.name !== "on_hand") return c.json({ errors: [{ message: "name must be available or on_hand" }] });
    if (input.quantities.length > 250)
      return c.json({
        errors: [{ message: "The input array size of 251 is greater than the maximum allowed of 250.", extensions: { code: "MAX_INPUT_SIZE_EXCEEDED" } }],
      });
    const userErrors: Array<{ code: string; field: string[]; message: string }> = [];
    input.quantities.forEach((q, i) => {
      if (!("changeFromQuantity" in q))
        userErrors.push({
          code: "CHANGE_FROM_QUANTITY_REQUIRED",
          field: ["input", "quantities", String(i), "changeFromQuantity"],
          message: "changeFromQuantity is required",
        });
      if (![...fake.items.values()].includes(String(q.inventoryItemId)))
        userErrors.push({
          code: "INVALID_INVENTORY_ITEM",
          field: ["input", "quantities", String(i), "inventoryItemId"],
          message: "The specified inventory item could not be found.",
        });
      if (!fake.locations.has(String(q.locationId)))
        userErrors.push({
          code: "INVALID_LOCATION",
          field: ["input", "quantities", String(i), "locationId"],
          message: "The specified location could not be found.",
        });
    });
    let data: unknown;
    if (userErrors.length > 0) data = { inventorySetQuantities: { inventoryAdjustmentGroup: null, userErrors } };
    else {
      for (const q of input.quantities) fake.levels.set(`${q.inventoryItemId}|${q.locationId}`, Number(q.quantity));
      fake.mutations.push({ key, count: input.quantities.length });
      data = {
        inventorySetQuantities: { inventoryAdjustmentGroup: { id: `gid://shopify/InventoryAdjustmentGroup/${fake.mutations.length}` }, userErrors: [] },
      };
    }
    seen.set(key, data);
    return c.json({ data, extensions: cost(requested) });
  });
  return Object.assign(fake, { fetch: async (req: Request) => app.fetch(req) });
}
