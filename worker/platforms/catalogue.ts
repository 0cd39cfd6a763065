/** One sellable variant of the shop platform's catalogue (a simple product counts as one). */
export interface CatalogueVariant {
  variantId: string;
  productId: string;
  /** Absent when the platform has no SKU on it. */
  sku?: string;
  /** What staff recognise it by: the product's title, with the variant's when there is one. */
  title: string;
  barcode?: string;
  price?: string;
}

/** One page of the catalogue and the cursor of the next; `next` is absent on the last page. */
export interface CataloguePage {
  items: CatalogueVariant[];
  next?: string;
}

/**
 * The platform's catalogue read page by page within its rate limits, so a caller can stop after a
 * bounded number of pages and go on later from the cursor. `page(undefined)` is the first page.
 */
export interface CatalogueReader {
  page(cursor: string | undefined): Promise<CataloguePage>;
}

/** An empty string, whitespace or null is "no value". */
export const present = (v: string | null | undefined): string | undefined => (v === null || v === undefined || v.trim() === "" ? undefined : v.trim());
