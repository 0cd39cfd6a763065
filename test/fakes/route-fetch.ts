import { vi } from "vitest";

/** Anything with Hono's `fetch(request)`: the protocol fakes. */
export interface FakeServer {
  fetch(request: Request): Response | Promise<Response>;
}

/**
 * Routes the worker's outbound `fetch` to in-process fakes by host name (e.g. "odoo.test");
 * any other host fails loudly so a test never reaches the network. Returns the spy to restore.
 */
export function routeFetch(hosts: Record<string, FakeServer>) {
  return vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const fake = hosts[new URL(request.url).host];
    if (!fake) throw new TypeError(`no fake for ${request.url}`);
    return fake.fetch(request);
  });
}
