import { z } from "zod";
import type { Patience } from "../../connectors/http";
import type { ShopifyStockSettings } from "../../contract/connectors";
import { type CatalogueReader, present } from "../catalogue";
import { pacedShopifyGraphql } from "./paced-graphql";

/** Variants per page: Shopify's maximum for a connection. */
export const SHOPIFY_CATALOGUE_PAGE = 250;

export const CATALOGUE_QUERY = `query Catalogue($first: Int!, $after: String) {
  productVariants(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { id sku barcode title price product { id title } }
  }
}`;

const Page = z.object({
  productVariants: z.object({
    pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
    nodes: z.array(
      z.object({
        id: z.string(),
        sku: z.string().nullable(),
        barcode: z.string().nullable(),
        title: z.string(),
        price: z.string().nullable(),
        product: z.object({ id: z.string(), title: z.string() }),
      }),
    ),
  }),
});

const tail = (gid: string): string => gid.slice(gid.lastIndexOf("/") + 1);

/** Shopify's "Default Title" is the only variant of a product without options: the product's title says it all. */
const titleOf = (product: string, variant: string): string => (variant === "Default Title" ? product : `${product} – ${variant}`);

/** The catalogue through Admin GraphQL `productVariants`, 250 a page, paced by the cost-based throttle. */
export function shopifyCatalogue(s: ShopifyStockSettings, patience: Patience): CatalogueReader {
  const graphql = pacedShopifyGraphql(s, patience);
  return {
    async page(cursor) {
      const data = Page.parse(await graphql(CATALOGUE_QUERY, { first: SHOPIFY_CATALOGUE_PAGE, after: cursor ?? null }));
      const { pageInfo, nodes } = data.productVariants;
      return {
        items: nodes.map((n) => ({
          variantId: tail(n.id),
          productId: tail(n.product.id),
          ...(present(n.sku) ? { sku: present(n.sku) } : {}),
          title: titleOf(n.product.title, n.title),
          ...(present(n.barcode) ? { barcode: present(n.barcode) } : {}),
          ...(present(n.price) ? { price: present(n.price) } : {}),
        })),
        ...(pageInfo.hasNextPage && pageInfo.endCursor ? { next: pageInfo.endCursor } : {}),
      };
    },
  };
}
