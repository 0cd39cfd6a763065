import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { connect, type Socket } from "node:net";
import { resolve } from "node:path";

const FIXTURES = resolve(import.meta.dirname, "../../extension/fixtures");
const fixture = (name: string) => readFileSync(resolve(FIXTURES, name), "utf8");

/** Order pages of the fixture Shopify admin: URL id → the number its heading shows. */
const SHOPIFY_ORDER_NUMBERS: Record<string, string> = { "5001": "#1001", "5002": "#1002", "5003": "#1003" };

/**
 * Serves the admin fixtures at the paths the real admins use, so the extension's content scripts
 * see the same URLs: Shopify's `/store/acme/...` (Chromium maps admin.shopify.com here) and
 * WooCommerce's `/wp-admin/...` (reached as http://127.0.0.1:<port>). Only 127.0.0.1.
 */
export function startAdminServer(port: number): Promise<{ url: string; stop: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://fixture");
    const send = (status: number, body: string, type = "text/html; charset=utf-8") => {
      res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
      res.end(body);
    };
    const p = url.pathname;
    if (p === "/fixtures/spa-router.js") return send(200, fixture("spa-router.js"), "text/javascript");
    if (p === "/store/acme/products") return send(200, fixture("shopify-products.html"));
    if (/^\/store\/acme\/products\/8001(\/variants\/\d+)?$/.test(p)) return send(200, fixture("shopify-product.html"));
    if (p === "/store/acme/orders") return send(200, fixture("shopify-orders.html"));
    const order = /^\/store\/acme\/orders\/(\d+)$/.exec(p)?.[1];
    if (order && SHOPIFY_ORDER_NUMBERS[order]) return send(200, fixture("shopify-order.html").replaceAll("#1001", SHOPIFY_ORDER_NUMBERS[order]));
    if (p === "/wp-admin/post.php" && url.searchParams.get("post") === "45") return send(200, fixture("woocommerce-product.html"));
    if (p === "/wp-admin/edit.php" && url.searchParams.get("post_type") === "product") return send(200, fixture("woocommerce-products.html"));
    if (/^\/admin\/sales\/order\/view\/order_id\/1\/?$/.test(p)) return send(200, fixture("magento-order.html"));
    send(404, "<!doctype html><title>Not found</title><h1>Not found</h1>");
  });
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", () => ok({ url: `http://127.0.0.1:${port}`, stop: () => new Promise<void>((done) => server.close(() => done())) }));
  });
}

/**
 * A pass-through proxy in front of the edge that records each request's method and path, so a test
 * can count what the extension's background actually sent. WebSocket upgrades are tunnelled as raw
 * TCP; `stop()` cuts every connection at once, as an edge that goes down would.
 */
export function startRecordingProxy(port: number, target: string): Promise<{ url: string; seen: string[]; stop: () => Promise<void> }> {
  const seen: string[] = [];
  const tunnels = new Set<Socket>();
  const server = createServer(async (req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string" && k !== "host" && k !== "connection") headers.set(k, v);
    const upstream = await fetch(`${target}${req.url}`, { method: req.method, headers, ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}) });
    res.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "application/json" });
    res.end(Buffer.from(await upstream.arrayBuffer()));
  });
  server.on("upgrade", (req, client: Socket, head: Buffer) => {
    seen.push(`UPGRADE ${req.url}`);
    const { hostname, port: targetPort } = new URL(target);
    const upstream = connect(Number(targetPort), hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join("\r\n")}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const s of [client, upstream]) {
      tunnels.add(s);
      s.on("error", () => undefined);
      s.on("close", () => {
        tunnels.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
  });
  const stop = () =>
    new Promise<void>((done) => {
      for (const s of tunnels) s.destroy();
      server.closeAllConnections();
      server.close(() => done());
    });
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", () => ok({ url: `http://127.0.0.1:${port}`, seen, stop }));
  });
}

/** One of the protocol fakes (test/fakes: Shopify, WooCommerce…) served over real HTTP, for a wrangler-dev edge to call. */
export function serveFake(port: number, fake: { fetch(request: Request): Response | Promise<Response> }): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const answer = await fake.fetch(
      new Request(`http://127.0.0.1:${port}${req.url}`, { method: req.method, headers, ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}) }),
    );
    res.writeHead(answer.status, Object.fromEntries(answer.headers));
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", () => ok({ url: `http://127.0.0.1:${port}`, stop: () => new Promise<void>((done) => server.close(() => done())) }));
  });
}
