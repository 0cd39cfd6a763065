// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { more } from "../../widget/src/more";
import { mount } from "../../widget/src/mount";
import type { AvailabilityItem } from "../../worker/contract";

/** A WebSocket double: records every socket the widget opens, lets the test play the edge. */
class FakeSocket {
  static all: FakeSocket[] = [];
  readyState = 0;
  closed = false;
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send() {}
  close() {
    this.closed = true;
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  drop() {
    this.readyState = 3;
    this.onclose?.();
  }
  message(data: unknown) {
    this.onmessage?.({ data: typeof data === "string" ? data : JSON.stringify(data) });
  }
}

const item = (sku: string, available: number, status: AvailabilityItem["status"] = "in_stock"): AvailabilityItem => ({
  sku,
  available,
  status,
  warehouses: [{ code: "BER", name: "Berlin", available }],
  updatedAt: new Date().toISOString(),
});

const EDGE = "https://edge.example";
let requests: string[];
let answer: (url: string) => Response;

const PAGE = `
  <script type="application/ld+json">{"@type":"ProductGroup","hasVariant":[
    {"@type":"Product","sku":"TEE-S","offers":{"url":"/p?variant=1"}},
    {"@type":"Product","sku":"TEE-M","offers":{"url":"/p?variant=2"}}]}</script>
  <form action="/cart/add"><input type="hidden" name="id" value="1"><select id="pick"><option>1</option><option>2</option></select></form>
  <div id="slot" data-backroom="availability"></div>
  <div id="price" data-backroom="price"></div>
  <div id="extra" data-backroom-sku="CAP"></div>`;

const hostText = (sel: string) => document.querySelector(sel)?.querySelector("[data-backroom-host]")?.shadowRoot?.textContent ?? null;
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
};

beforeEach(() => {
  FakeSocket.all = [];
  requests = [];
  answer = (url) => {
    if (url.includes("/config")) return Response.json({ locale: "en-GB", currency: "EUR" });
    if (url.includes("/availability")) {
      const skus = new URL(url).searchParams.getAll("sku");
      return Response.json({ items: [item("TEE-S", 40), item("TEE-M", 2, "low_stock"), item("CAP", 9)].filter((i) => skus.includes(i.sku)) });
    }
    return new Response("{}", { status: 401 });
  };
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: string) => {
      requests.push(url);
      return answer(url);
    }),
  );
  vi.stubGlobal("WebSocket", FakeSocket);
  // The lazy chunk (price, tracking, notify-me) as if its script had loaded: happy-dom runs no scripts.
  Reflect.set(window, "__backroomMore", { p: Promise.resolve(more) });
  document.body.innerHTML = PAGE;
});

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.innerHTML = "";
});

describe("mount", () => {
  it("asks the edge once for every SKU on the page, then opens one socket for them", async () => {
    const unmount = mount({ shop: "acme", edge: EDGE });
    await settle();
    const availability = requests.filter((r) => r.includes("/availability"));
    expect(availability).toEqual([`${EDGE}/v1/shops/acme/availability?sku=CAP&sku=TEE-S&sku=TEE-M`]);
    expect(requests.some((r) => r.includes("/prices"))).toBe(false); // no token, no price request
    expect(FakeSocket.all.map((s) => s.url)).toEqual(["wss://edge.example/v1/shops/acme/live?sku=CAP&sku=TEE-S&sku=TEE-M"]);
    expect(hostText("#slot")).toContain("In stock");
    expect(hostText("#extra")).toContain("In stock");
    expect(hostText("#price")).not.toContain("€");
    unmount();
  });

  it("applies live stock messages and ignores malformed frames", async () => {
    const unmount = mount({ shop: "acme", edge: EDGE, locale: "en" });
    await settle();
    const ws = FakeSocket.all[0];
    ws?.open();
    ws?.message({ type: "hello", skus: ["TEE-S"] });
    ws?.message("not json");
    ws?.message({ type: "stock", item: { sku: "TEE-S", available: "lots" } });
    expect(hostText("#slot")).toContain("In stock");
    ws?.message({ type: "stock", item: item("TEE-S", 0, "out_of_stock") });
    expect(hostText("#slot")).toContain("Out of stock");
    unmount();
  });

  it("follows the variant: another variant id in the product form, announced by a change event", async () => {
    const unmount = mount({ shop: "acme", edge: EDGE, locale: "en" });
    await settle();
    expect(hostText("#slot")).toContain("In stock");
    const input = document.querySelector<HTMLInputElement>('[name="id"]');
    if (input) input.value = "2";
    document.querySelector("#pick")?.dispatchEvent(new Event("change", { bubbles: true }));
    await settle();
    expect(hostText("#slot")).toContain("Only 2 left");
    // The variant was part of the first request: no second one.
    expect(requests.filter((r) => r.includes("/availability"))).toHaveLength(1);
    unmount();
  });

  it("reconnects with backoff after a drop and re-reads what it may have missed", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval"] });
    try {
      const unmount = mount({ shop: "acme", edge: EDGE, locale: "en" });
      await vi.advanceTimersByTimeAsync(10);
      FakeSocket.all[0]?.open();
      FakeSocket.all[0]?.drop();
      await vi.advanceTimersByTimeAsync(300);
      expect(FakeSocket.all).toHaveLength(1); // not before the backoff
      await vi.advanceTimersByTimeAsync(600);
      expect(FakeSocket.all).toHaveLength(2);
      FakeSocket.all[1]?.drop(); // failed before opening: the delay grows
      await vi.advanceTimersByTimeAsync(700);
      expect(FakeSocket.all).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(1000);
      expect(FakeSocket.all).toHaveLength(3);
      FakeSocket.all[2]?.open();
      await vi.advanceTimersByTimeAsync(10);
      expect(requests.filter((r) => r.includes("/availability"))).toHaveLength(2);
      unmount();
    } finally {
      vi.useRealTimers();
    }
  });

  it("unmount() removes every host, listener, timer and the socket", async () => {
    const added = new Map<EventTarget, number>();
    const count = (target: EventTarget, delta: number) => added.set(target, (added.get(target) ?? 0) + delta);
    for (const target of [document, window]) {
      const add = target.addEventListener.bind(target);
      const remove = target.removeEventListener.bind(target);
      vi.spyOn(target, "addEventListener").mockImplementation((type, fn, opts) => {
        count(target, 1);
        add(type, fn, opts);
      });
      vi.spyOn(target, "removeEventListener").mockImplementation((type, fn, opts) => {
        count(target, -1);
        remove(type, fn, opts);
      });
    }
    const before = document.body.innerHTML;
    const unmount = mount({ shop: "acme", edge: EDGE, locale: "en" });
    await settle();
    expect(document.querySelectorAll("[data-backroom-host]")).toHaveLength(3);
    expect([...added.values()].some((n) => n > 0)).toBe(true);
    unmount();
    expect(document.querySelectorAll("[data-backroom-host]")).toHaveLength(0);
    expect(document.body.innerHTML).toBe(before);
    expect([...added.values()]).toEqual([0, 0]);
    expect(FakeSocket.all.every((s) => s.closed)).toBe(true);
    vi.restoreAllMocks();
  });

  it.each([
    ["answers 503", () => new Response("down", { status: 503 })],
    ["answers something else", () => Response.json({ items: [{ sku: "TEE-S" }] })],
  ])("leaves the page untouched when the edge %s", async (_name, failing) => {
    answer = failing;
    const before = document.body.innerHTML;
    const unmount = mount({ shop: "acme", edge: EDGE, locale: "en" });
    await settle();
    expect(document.body.innerHTML).toBe(before);
    expect(FakeSocket.all).toHaveLength(0);
    unmount();
  });

  it("leaves a tracking-only page untouched when the edge does not answer", async () => {
    document.body.innerHTML = `<div data-backroom="tracking"></div>`;
    answer = () => new Response("down", { status: 502 });
    const before = document.body.innerHTML;
    const first = mount({ shop: "acme", edge: EDGE });
    await settle();
    expect(requests).toEqual([`${EDGE}/v1/shops/acme/config`]);
    expect(document.body.innerHTML).toBe(before);
    first();
    answer = () => Response.json({ locale: "de-DE", currency: "EUR" });
    const unmount = mount({ shop: "acme", edge: EDGE });
    await settle();
    expect(document.querySelector("[data-backroom-host]")?.shadowRoot?.textContent).toContain("Bestellnummer");
    unmount();
  });

  it("leaves the page untouched when the edge is unreachable", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => {
        throw new TypeError("Failed to fetch");
      }),
    );
    const before = document.body.innerHTML;
    const unmount = mount({ shop: "acme", edge: EDGE, locale: "en" });
    await settle();
    expect(document.body.innerHTML).toBe(before);
    unmount();
  });

  it("asks for prices with the token from the placeholder, sent as x-backroom-customer", async () => {
    document.querySelector<HTMLElement>("#price")?.setAttribute("data-customer-token", "CUST-1.9999999999.abc");
    const headers: Array<string | null> = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (url: string, init?: RequestInit) => {
        requests.push(url);
        if (url.includes("/prices")) {
          headers.push(new Headers(init?.headers).get("x-backroom-customer"));
          return Response.json({ currency: "EUR", customer: { company: "ACME" }, items: [{ sku: "TEE-S", unitPrice: "9.50", breaks: [] }] });
        }
        return answer(url);
      }),
    );
    const unmount = mount({ shop: "acme", edge: EDGE, locale: "de-DE" });
    await settle();
    expect(headers).toEqual(["CUST-1.9999999999.abc"]);
    expect(hostText("#price")).toContain("9,50");
    unmount();
  });

  it("hears WooCommerce's jQuery found_variation, fetching a variation the page did not list (AJAX variations)", async () => {
    document.body.innerHTML = `<form class="variations_form cart" data-product_variations="false"><input type="hidden" name="variation_id" value=""></form>
      <div id="slot" data-backroom="availability"></div><span itemprop="sku">HOODIE</span>`;
    // jQuery's trigger() calls jQuery handlers only: no DOM event reaches addEventListener.
    const handlers = new Map<string, (e: unknown, v?: unknown) => void>();
    vi.stubGlobal("jQuery", () => ({
      on: (ev: string, fn: (e: unknown, v?: unknown) => void) => handlers.set(ev, fn),
      off: (ev: string) => {
        for (const k of handlers.keys()) if (k.endsWith(ev)) handlers.delete(k);
      },
    }));
    answer = (url) =>
      url.includes("/availability")
        ? Response.json({
            items: [item("HOODIE", 50), item("HOODIE-S", 3, "low_stock")].filter((i) => new URL(url).searchParams.getAll("sku").includes(i.sku)),
          })
        : new Response("{}", { status: 404 });
    const unmount = mount({ shop: "acme", edge: EDGE, locale: "en" });
    await settle();
    expect(hostText("#slot")).toContain("In stock");
    handlers.get("found_variation.backroom")?.({ type: "found_variation" }, { variation_id: 301, sku: "HOODIE-S" });
    await settle();
    expect(requests.filter((r) => r.includes("/availability"))).toEqual([
      `${EDGE}/v1/shops/acme/availability?sku=HOODIE`,
      `${EDGE}/v1/shops/acme/availability?sku=HOODIE-S`,
    ]);
    expect(hostText("#slot")).toContain("Only 3 left");
    // The live socket now covers the new variation too.
    expect(FakeSocket.all.at(-1)?.url).toBe("wss://edge.example/v1/shops/acme/live?sku=HOODIE&sku=HOODIE-S");
    expect(FakeSocket.all.slice(0, -1).every((s) => s.closed)).toBe(true);
    unmount();
    expect(handlers.size).toBe(0);
  });

  it("without a placeholder, reserves the box's space right after a sold-out add-to-cart form, and takes it back when the edge fails", async () => {
    document.body.innerHTML = `<h1>Tee</h1><script type="application/ld+json">{"@type":"Product","sku":"TEE-S"}</script>
      <form id="f" action="/cart/add"><button type="submit" name="add" disabled>Sold out</button></form><p id="after">Description</p>`;
    const host = () => document.querySelector("#f")?.nextElementSibling;
    const unmount = mount({ shop: "acme", edge: EDGE, locale: "en" });
    // Placed at once, before any answer, with the box's height reserved.
    expect(host()?.hasAttribute("data-backroom-host")).toBe(true);
    expect(host()?.closest("form")).toBeNull();
    expect(host()?.getAttribute("style")).toContain("--backroom-height");
    await settle();
    expect(host()?.shadowRoot?.textContent).toContain("In stock");
    unmount();

    answer = () => new Response("down", { status: 503 });
    const again = mount({ shop: "acme", edge: EDGE, locale: "en" });
    await settle();
    expect(host()?.id).toBe("after");
    again();
  });

  it("starts over on a single-page-app navigation: the old box goes, the new product's box comes", async () => {
    document.body.innerHTML = `<h1>Tee</h1><script type="application/ld+json">{"@type":"Product","sku":"TEE-S"}</script><form action="/cart/add"><button type="submit">Add</button></form>`;
    const unmount = mount({ shop: "acme", edge: EDGE, locale: "en" });
    await settle();
    expect(document.querySelectorAll("[data-backroom-host]")).toHaveLength(1);
    history.pushState({}, "", "/products/cap");
    document.body.innerHTML = `<h1>Cap</h1><script type="application/ld+json">{"@type":"Product","sku":"CAP"}</script><form action="/cart/add"><button type="submit">Add</button></form>`;
    await settle();
    await settle();
    const hosts = document.querySelectorAll("[data-backroom-host]");
    expect(hosts).toHaveLength(1);
    expect(hosts[0]?.shadowRoot?.querySelector("[data-sku]")?.getAttribute("data-sku")).toBe("CAP");
    history.pushState({}, "", "/");
    unmount();
  });

  it("mounts from its own script tag, taking data-shop, the edge origin and data-customer-token", async () => {
    const script = document.createElement("script");
    script.src = "https://edge.example/widget.js";
    script.dataset.shop = "acme";
    script.dataset.customerToken = "CUST-9.9999999999.feed";
    script.dataset.locale = "fr-FR";
    const headers: Array<string | null> = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (url: string, init?: RequestInit) => {
        requests.push(url);
        if (url.includes("/prices")) {
          headers.push(new Headers(init?.headers).get("x-backroom-customer"));
          return Response.json({ currency: "EUR", customer: { company: "ACME" }, items: [{ sku: "TEE-S", unitPrice: "9.50", breaks: [] }] });
        }
        return answer(url);
      }),
    );
    Object.defineProperty(document, "currentScript", { value: script, configurable: true });
    try {
      vi.resetModules();
      await import("../../widget/src/main");
      await settle();
    } finally {
      Reflect.deleteProperty(document, "currentScript");
    }
    expect(requests.some((r) => r.includes("/config"))).toBe(false); // data-locale given
    expect(headers).toEqual(["CUST-9.9999999999.feed"]);
    expect(hostText("#price")).toContain("9,50");
    expect(hostText("#slot")).toContain("En stock");
    Reflect.get(window, "Backroom").unmount();
    expect(document.querySelectorAll("[data-backroom-host]")).toHaveLength(0);
  });
});
