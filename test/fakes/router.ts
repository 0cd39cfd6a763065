/** Something that answers requests: a Hono app, or any `{ fetch }`. */
export interface FakeHost {
  fetch(request: Request): Response | Promise<Response>;
}

/**
 * A `fetch` that routes by host to in-process fakes, so the worker's outbound calls (ERP, Shopify,
 * WooCommerce) never leave the test. An unknown host is a network error, as it would be.
 */
export function fakeFetch(hosts: Record<string, FakeHost>): typeof fetch {
  const route = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const host = hosts[new URL(request.url).host];
    if (!host) throw new TypeError(`fake network: no route to ${new URL(request.url).host}`);
    return host.fetch(request);
  };
  return route as typeof fetch;
}
