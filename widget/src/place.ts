/**
 * Where the availability box goes on a page that has no `data-backroom` placeholder: right after
 * the add-to-cart control (also a disabled, sold-out one), else after the product's price/offer
 * block, else after the product title. Never inside a form: the box goes after the control's form,
 * so nothing of ours is ever in the shop's submit path. Page chrome (header, nav, footer, dialogs)
 * is never an anchor.
 */

/** Add-to-cart controls, by platform. */
const CART =
  // Shopify (Liquid themes; Hydrogen's CartForm with a LinesAdd input), WooCommerce, BigCommerce Stencil,
  // Magento 2 Luma and Hyvä, Shopware 6, PrestaShop, SFCC (SFRA and SiteGenesis), then generic names.
  'form[action*="/cart/add"] [type=submit],[name=cartFormInput][value*=LinesAdd]~button,.single_add_to_cart_button,#form-action-addToCart,#product-addtocart-button,.btn-buy,[data-button-action=add-to-cart],.add-to-cart,#add-to-cart,[name=add-to-cart],.product-form__submit';
/** Price / offer blocks, platform classes first; `[itemprop=offers]` for microdata pages. */
const PRICE =
  "[itemprop=offers],.product-info-price,.product-prices,.product-detail-price-container,.productView-price,.product__info-container .price,.price-container,.prices,.price,[data-product-price]";
const TITLE = "h1,[itemprop=name]";
const CHROME = "header,nav,footer,dialog,aside,[data-backroom-host],[role=dialog]";

const first = (doc: Document, selector: string): Element | undefined => {
  for (const el of doc.querySelectorAll(selector)) if (!el.closest(CHROME)) return el;
  return undefined;
};

/**
 * The element the box is placed right after, or undefined when the page has none of the three.
 *
 * @example
 * productAnchor(document)?.after(host)
 */
export function productAnchor(doc: Document): Element | undefined {
  const el = first(doc, CART) ?? first(doc, PRICE) ?? first(doc, TITLE);
  // Buttons tied to a form elsewhere (`form="…"`, Hyvä) keep their place; otherwise step out of the form.
  const form = el?.closest("form");
  return form ?? el;
}
