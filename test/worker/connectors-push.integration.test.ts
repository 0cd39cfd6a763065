import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { loadErpConnector } from "../../worker/connectors/erp-connector";
import { RemoteError } from "../../worker/connectors/errors";
import { connectorFor } from "../../worker/connectors/registry";
import { saveSettings } from "../../worker/connectors/settings";
import { getShop } from "../../worker/db/shops";
import type { ErpOrder } from "../../worker/orders/model";
import { putOrderSettings } from "../../worker/orders/settings";
import { createErpNextFake, ERPNEXT_KEY, ERPNEXT_SECRET } from "../fakes/erpnext/app";
import { createOdooFake, FAKE_KEY, FAKE_LOGIN, fakeDb } from "../fakes/odoo/app";
import { routeFetch } from "../fakes/route-fetch";
import { createShop } from "./helpers";

let restore: (() => void) | undefined;
afterEach(() => restore?.());

const order = (orderRef: string, lines: Array<{ sku: string; qty: number }>, email?: string): ErpOrder => ({
  shop: "x",
  platform: "shopify",
  orderRef,
  orderNumber: `#${orderRef}`,
  ...(email ? { email } : {}),
  currency: "EUR",
  status: "open",
  financialStatus: "paid",
  createdAt: "2026-11-23T10:00:00Z",
  updatedAt: "2026-11-23T10:00:00Z",
  totals: { total: "10.00" },
  lines: lines.map((l, i) => ({ lineId: String(i + 1), sku: l.sku, title: l.sku, qty: l.qty, unitPrice: "5.00" })),
});

async function connector(shop: string) {
  const s = await getShop(env.DB, shop);
  if (!s) throw new Error("no shop");
  const c = await loadErpConnector({ env, shop: s, fetch: (input, init) => fetch(input, init) });
  if (!c) throw new Error("no connector");
  return c;
}

describe("pushing shop orders to Odoo", () => {
  it.each([16, 17, 18, 19] as const)("Odoo %i: creates and confirms one sale.order per shop order, however often it is delivered", async (version) => {
    const shop = `odoo-push-${version}`;
    await createShop(shop);
    const fake = createOdooFake(version);
    restore = routeFetch({ "odoo.test": fake }).mockRestore;
    const partner = [...(fake.db.get("res.partner")?.values() ?? [])][0];
    await saveSettings(
      env,
      shop,
      "erp",
      {
        kind: "odoo",
        url: "http://odoo.test",
        db: fakeDb(version),
        protocol: version >= 19 ? "json2" : "jsonrpc",
        login: FAKE_LOGIN,
        apiKey: FAKE_KEY,
        defaultPartnerId: partner?.id,
      },
      true,
      Date.now(),
    );
    const c = await connector(shop);
    expect(c.kind).toBe("odoo");
    const first = await c.pushOrder(order("7001", [{ sku: "FURN_7777", qty: 3 }]), "k1", "order.created");
    const again = await c.pushOrder(order("7001", [{ sku: "FURN_7777", qty: 3 }]), "k1", "order.created");
    expect(again.erpRef).toBe(first.erpRef);
    const created = [...(fake.db.get("sale.order")?.values() ?? [])].filter((o) => o.client_order_ref === "7001");
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ name: first.erpRef, state: "sale", partner_id: [partner?.id, partner?.name] });
    await expect(c.pushOrder(order("7002", [{ sku: "NO-SUCH-SKU", qty: 1 }]), "k2", "order.created")).rejects.toMatchObject({
      retryable: false,
      code: "unknown_sku",
    });
  });

  it("a throttled or failing Odoo is a retryable failure for the queue, with the wait it asked for", async () => {
    const shop = "odoo-push-429";
    await createShop(shop);
    const fake = createOdooFake(17);
    restore = routeFetch({ "odoo.test": fake }).mockRestore;
    await saveSettings(
      env,
      shop,
      "erp",
      { kind: "odoo", url: "http://odoo.test", db: fakeDb(17), protocol: "jsonrpc", login: FAKE_LOGIN, apiKey: FAKE_KEY, defaultPartnerId: 14 },
      true,
      Date.now(),
    );
    const c = await connector(shop);
    fake.faults.push({ status: 429, retryAfter: "30" });
    const err = await c.pushOrder(order("7003", [{ sku: "FURN_7777", qty: 1 }]), "k3", "order.created").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteError);
    expect(err).toMatchObject({ retryable: true, retryAfterSeconds: 30 });
    fake.faults.push({ status: 500 });
    await expect(c.pushOrder(order("7003", [{ sku: "FURN_7777", qty: 1 }]), "k3", "order.created")).rejects.toMatchObject({ retryable: true });
    expect((await c.pushOrder(order("7003", [{ sku: "FURN_7777", qty: 1 }]), "k3", "order.created")).erpRef).toMatch(/^S\d+/);
  });
});

describe("pushing shop orders to ERPNext", () => {
  it("submits one Sales Order per shop order (po_no), finds the customer by email, cancels on order.cancelled", async () => {
    const shop = "erpnext-push";
    await createShop(shop);
    const fake = createErpNextFake();
    restore = routeFetch({ "erp.test": fake }).mockRestore;
    await saveSettings(
      env,
      shop,
      "erp",
      { kind: "erpnext", url: "https://erp.test", apiKey: ERPNEXT_KEY, apiSecret: ERPNEXT_SECRET, defaultCustomer: "Walk-in" },
      true,
      Date.now(),
    );
    // Orders go to the ERP connector once the operator chose it.
    await putOrderSettings(env.DB, shop, { ordersTo: "erp-connector" }, Date.now());
    const s = await getShop(env.DB, shop);
    const c = s ? await connectorFor({ env, shop: s, fetch: (i, init) => fetch(i, init) }) : undefined;
    expect(c?.kind).toBe("erpnext");
    if (!c) return;
    const o = order("8001", [{ sku: "SKU-MUG", qty: 2 }], "buyer@acme.example");
    const first = await c.pushOrder(o, "k1", "order.created");
    expect((await c.pushOrder(o, "k1", "order.created")).erpRef).toBe(first.erpRef);
    const sos = [...(fake.docs.get("Sales Order")?.values() ?? [])].filter((d) => d.po_no === "8001");
    expect(sos).toHaveLength(1);
    expect(sos[0]).toMatchObject({ customer: "Acme GmbH", docstatus: 1, items: [{ item_code: "SKU-MUG", qty: 2, rate: 5 }] });
    await c.pushOrder({ ...o, status: "cancelled" }, "k2", "order.cancelled");
    expect(sos[0]).toMatchObject({ docstatus: 2, status: "Cancelled" });
    await expect(c.pushOrder(order("8002", [{ sku: "NOPE", qty: 1 }]), "k3", "order.created")).rejects.toMatchObject({ retryable: false, code: "http_417" });
  });
});
