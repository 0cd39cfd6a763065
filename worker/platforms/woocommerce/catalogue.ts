import { z } from "zod";
import { connectorFetch, type Patience } from "../../connectors/http";
import type { WooStockSettings } from "../../contract/connectors";
import { toBase64, utf8 } from "../../domain/encoding";
import { type CatalogueReader, type CatalogueVariant, present } from "../catalogue";

/** Objects per page: WooCommerce's maximum `per_page`. */
export const WOO_CATALOGUE_PAGE = 100;

const Id = z.union([z.number(), z.string()]).transform(String);
const Product = z.object({
  id: Id,
  name: z.string(),
  type: z.string(),
  sku: z.string().nullish(),
  price: z.string().nullish(),
  global_unique_id: z.string().nullish(),
});
const Variation = z.object({
  id: Id,
  sku: z.string().nullish(),
  price: z.string().nullish(),
  global_unique_id: z.string().nullish(),
  attributes: z.array(z.object({ option: z.string() }).loose()).default([]),
});

/**
 * The catalogue through REST v3: `GET /products` 100 a page, and for each variable product its
 * `GET /products/{id}/variations` (all of their pages). The cursor is the next products page.
 * 429 Retry-After and 5xx are waited out by connectorFetch. A variable product itself is not
 * sellable and is not listed; its variations are.
 */
export function wooCatalogue(s: WooStockSettings, patience: Patience): CatalogueReader {
  const base = `${s.url.replace(/\/$/, "")}/wp-json/wc/v3`;
  const headers = { authorization: `Basic ${toBase64(utf8(`${s.consumerKey}:${s.consumerSecret}`))}` };
  const get = async (path: string, page: number): Promise<unknown> =>
    (await connectorFetch(`${base}${path}?${new URLSearchParams({ per_page: String(WOO_CATALOGUE_PAGE), page: String(page) })}`, { headers }, patience)).json();

  return {
    async page(cursor) {
      const page = cursor ? Number(cursor) : 1;
      const products = z.array(Product).parse(await get("/products", page));
      const items: CatalogueVariant[] = [];
      for (const p of products) {
        if (p.type !== "variable") {
          items.push(variant(p.id, p.id, p.name, p));
          continue;
        }
        for (let vp = 1; ; vp++) {
          const variations = z.array(Variation).parse(await get(`/products/${p.id}/variations`, vp));
          for (const v of variations) {
            const options = v.attributes.map((a) => a.option).filter(Boolean);
            items.push(variant(v.id, p.id, options.length > 0 ? `${p.name} – ${options.join(", ")}` : p.name, v));
          }
          if (variations.length < WOO_CATALOGUE_PAGE) break;
        }
      }
      return { items, ...(products.length === WOO_CATALOGUE_PAGE ? { next: String(page + 1) } : {}) };
    },
  };
}

function variant(
  variantId: string,
  productId: string,
  title: string,
  v: { sku?: string | null; price?: string | null; global_unique_id?: string | null },
): CatalogueVariant {
  const sku = present(v.sku);
  const barcode = present(v.global_unique_id);
  const price = present(v.price);
  return { variantId, productId, title, ...(sku ? { sku } : {}), ...(barcode ? { barcode } : {}), ...(price ? { price } : {}) };
}
