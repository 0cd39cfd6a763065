/**
 * The page's own quantity field (issue 12): Shopify's product form and WooCommerce's both name it
 * `quantity`; WooCommerce themes that rename it keep the `qty` class. The main script matches this
 * selector to know when to load the promise view (the cheapest test in its gzip budget).
 */
export const QUANTITY_FIELD = "input[name=quantity],input.qty";

export const isQuantityField = (el: unknown): el is HTMLInputElement => el instanceof HTMLInputElement && el.matches(QUANTITY_FIELD);

/** A quantity the promise API takes: a positive decimal, at most 6 places. */
const DECIMAL = /^\d{1,9}(\.\d{1,6})?$/;

/**
 * The quantity the shopper is asking for: the page's quantity field (the first one outside the
 * header, nav and dialogs: a cart drawer's are not the product's), "1" when the page has none or it
 * holds something that is not a positive number.
 */
export function pageQuantity(doc: Document): string {
  const fields = [...doc.getElementsByName("quantity"), ...doc.getElementsByClassName("qty")];
  const field = fields.find((el) => isQuantityField(el) && !el.closest("header,nav,dialog,[role=dialog],cart-drawer"));
  const value = isQuantityField(field) ? field.value.trim() : "";
  return DECIMAL.test(value) && Number(value) > 0 ? value.replace(/^0+(?=\d)/, "") : "1";
}
