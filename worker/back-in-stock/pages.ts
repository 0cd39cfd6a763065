import { escapeHtml } from "../domain/html";

/**
 * The two tiny pages a back-in-stock email links to. A GET never changes anything (mail scanners
 * open links): it shows one button that POSTs to the same URL, which does the change.
 */
const page = (title: string, body: string): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}button{font:inherit;padding:.5rem 1rem}</style></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;

/** The page with one button that POSTs `action` (the same path and token). */
export const askPage = (title: string, text: string, button: string, action: string): string =>
  page(title, `<p>${escapeHtml(text)}</p><form method="post" action="${escapeHtml(action)}"><button type="submit">${escapeHtml(button)}</button></form>`);

export const donePage = (title: string, text: string): string => page(title, `<p>${escapeHtml(text)}</p>`);
