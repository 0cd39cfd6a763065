/**
 * Text that goes into HTML another system renders (a WooCommerce customer note): every character
 * with a meaning in markup or an attribute is escaped, so ERP data can never become markup.
 */
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch] ?? ch);

/** A link target fit for an `href`: http(s) only, re-serialised by the URL parser; undefined otherwise. */
export function safeLinkUrl(raw: string): string | undefined {
  if (!URL.canParse(raw)) return undefined;
  const url = new URL(raw);
  return url.protocol === "https:" || url.protocol === "http:" ? url.href : undefined;
}
