import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { loadErpConnector } from "../../worker/connectors/erp-connector";
import { RemoteError } from "../../worker/connectors/errors";
import { connectorFor } from "../../worker/connectors/registry";
import { saveSettings } from "../../worker/connectors/settings";
import { getShop } from "../../worker/db/shops";
import { createDelivery, markFailed } from "../../worker/orders/deliveries";
import type { ErpOrder } from "../../worker/orders/model";
import { putOrderSettings } from "../../worker/orders/settings";
import { withPool } from "../../worker/pool/plane";
import { createErpNextFake, ERPNEXT_KEY, ERPNEXT_SECRET } from "../fakes/erpnext/app";
import { createOdooFake, FAKE_KEY, FAKE_LOGIN, fakeDb } from "../fakes/odoo/app";
import { routeFetch } from "../fakes/route-fetch";
import { call, createShop, poolDb } from "./helpers";

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
  const pool = withPool(env, shop);
  const s = await getShop(pool.DB, shop);
  if (!s) throw new Error("no shop");
  const c = await loadErpConnector({ env: pool, shop: s, fetch: (input, init) => fetch(input, init) });
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
      withPool(env, shop),
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
    const created = [...(fake.db.get("sale.order")?.values() ?? [])].filter((o) => o.origin === "backroom:7001");
    expect(created).toHaveLength(1);
    // Staff search the shop's order name; the platform id is the origin.
    expect(created[0]).toMatchObject({ name: first.erpRef, state: "sale", client_order_ref: "#7001", partner_id: [partner?.id, partner?.name] });
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
      withPool(env, shop),
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
      withPool(env, shop),
      shop,
      "erp",
      { kind: "erpnext", url: "https://erp.test", apiKey: ERPNEXT_KEY, apiSecret: ERPNEXT_SECRET, defaultCustomer: "Walk-in" },
      true,
      Date.now(),
    );
    // Orders go to the ERP connector once the operator chose it.
    const pool = withPool(env, shop);
    await putOrderSettings(pool.DB, shop, { ordersTo: "erp-connector" }, Date.now());
    const s = await getShop(pool.DB, shop);
    const c = s ? await connectorFor({ env: pool, shop: s, fetch: (i, init) => fetch(i, init) }) : undefined;
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

describe("Odoo orders after the first delivery (issue 9)", () => {
  async function odooShop(shop: string, version: 16 | 17 | 18 = 17) {
    await createShop(shop);
    const fake = createOdooFake(version);
    restore = routeFetch({ "odoo.test": fake }).mockRestore;
    const partner = [...(fake.db.get("res.partner")?.values() ?? [])][0];
    await saveSettings(
      withPool(env, shop),
      shop,
      "erp",
      { kind: "odoo", url: "http://odoo.test", db: fakeDb(version), protocol: "jsonrpc", login: FAKE_LOGIN, apiKey: FAKE_KEY, defaultPartnerId: partner?.id },
      true,
      Date.now(),
    );
    return { fake, c: await connector(shop) };
  }
  const saleOrder = (fake: ReturnType<typeof createOdooFake>, ref: string) =>
    [...(fake.db.get("sale.order")?.values() ?? [])].find((o) => o.origin === `backroom:${ref}` || o.client_order_ref === ref);
  const lineQty = (fake: ReturnType<typeof createOdooFake>, ref: string) =>
    ((saleOrder(fake, ref)?.order_line as number[]) ?? []).map((id) => {
      const l = fake.db.get("sale.order.line")?.get(id);
      return [Array.isArray(l?.product_id) ? l.product_id[1] : undefined, l?.product_uom_qty];
    });

  it.each([16, 17, 18] as const)("Odoo %i: a retry that finds the draft a failed confirmation left confirms it", async (version) => {
    const { fake, c } = await odooShop(`odoo-draft-${version}`, version);
    const partner = [...(fake.db.get("res.partner")?.values() ?? [])][0];
    const product = [...(fake.db.get("product.product")?.values() ?? [])].find((p) => p.default_code === "FURN_7777");
    await fake.rpc("sale.order", "create", [
      { partner_id: partner?.id, client_order_ref: "7101", order_line: [[0, 0, { product_id: product?.id, product_uom_qty: 1 }]] },
    ]);
    expect(saleOrder(fake, "7101")?.state).toBe("draft");
    const { erpRef } = await c.pushOrder(order("7101", [{ sku: "FURN_7777", qty: 1 }]), "k1", "order.created");
    expect(saleOrder(fake, "7101")).toMatchObject({ name: erpRef, state: "sale" });
  });

  it("an edit before the order ships reaches the Odoo lines: 2 → 3, a removed line to 0, a new line added", async () => {
    const { fake, c } = await odooShop("odoo-edit");
    await c.pushOrder(
      order("7201", [
        { sku: "FURN_7777", qty: 2 },
        { sku: "FURN_8888", qty: 1 },
      ]),
      "k1",
      "order.created",
    );
    expect(saleOrder(fake, "7201")?.state).toBe("sale");
    await c.pushOrder(
      order("7201", [
        { sku: "FURN_7777", qty: 3 },
        { sku: "DESK0005", qty: 1 },
      ]),
      "k2",
      "order.updated",
    );
    expect(lineQty(fake, "7201")).toEqual([
      [expect.stringContaining("FURN_7777"), 3],
      [expect.stringContaining("FURN_8888"), 0],
      [expect.stringContaining("DESK0005"), 1],
    ]);
  });

  it("an edit Odoo cannot take (the order was cancelled there) fails for staff to see, with the reason", async () => {
    const { fake, c } = await odooShop("odoo-edit-refused");
    await c.pushOrder(order("7301", [{ sku: "FURN_7777", qty: 2 }]), "k1", "order.created");
    await fake.rpc("sale.order", "action_cancel", [[saleOrder(fake, "7301")?.id]], { context: { disable_cancel_warning: true } });
    await expect(c.pushOrder(order("7301", [{ sku: "FURN_7777", qty: 3 }]), "k2", "order.updated")).rejects.toMatchObject({
      retryable: false,
      code: "odoo_edit_refused",
      message: expect.stringContaining("cancelled"),
    });
  });

  it.each([16, 17, 18] as const)(
    "Odoo %i: an edit of a locked order (nothing delivered) cancels it and makes it again from the edited order, with a note naming it and Odoo's reason",
    async (version) => {
      const { fake, c } = await odooShop(`odoo-edit-locked-${version}`, version);
      const first = await c.pushOrder(order("7501", [{ sku: "FURN_7777", qty: 2 }]), "k1", "order.created");
      const old = saleOrder(fake, "7501");
      await fake.rpc("sale.order", version >= 17 ? "action_lock" : "action_done", [[old?.id]]);
      const edited = await c.pushOrder(order("7501", [{ sku: "FURN_7777", qty: 3 }]), "k2", "order.updated");
      expect(edited.erpRef).not.toBe(first.erpRef);
      expect(old).toMatchObject({ state: "cancel", origin: "backroom-replaced:7501" });
      const replacement = [...(fake.db.get("sale.order")?.values() ?? [])].find((o) => o.name === edited.erpRef);
      expect(replacement).toMatchObject({ state: "sale", origin: "backroom:7501", client_order_ref: "#7501" });
      expect(String(replacement?.note)).toMatch(
        new RegExp(`^Replaces ${first.erpRef}, cancelled: Odoo refused the shop's edit of it \\(It is forbidden to modify`),
      );
      expect(lineQty(fake, "7501")).toEqual([[expect.stringContaining("FURN_7777"), 3]]);
      // The next event of the shop order goes to the replacement.
      await c.pushOrder(order("7501", [{ sku: "FURN_7777", qty: 4 }]), "k3", "order.updated");
      expect(((replacement?.order_line as number[]) ?? []).map((id) => fake.db.get("sale.order.line")?.get(id)?.product_uom_qty)).toEqual([4]);
    },
  );

  it("an edit Odoo refuses of an order already partly delivered is not replaced: it fails for staff to see, with the reason", async () => {
    const { fake, c } = await odooShop("odoo-edit-locked-delivered");
    await c.pushOrder(order("7601", [{ sku: "FURN_7777", qty: 2 }]), "k1", "order.created");
    const so = saleOrder(fake, "7601");
    for (const id of (so?.order_line as number[]) ?? []) Object.assign(fake.db.get("sale.order.line")?.get(id) ?? {}, { qty_delivered: 1 });
    await fake.rpc("sale.order", "action_lock", [[so?.id]]);
    await expect(c.pushOrder(order("7601", [{ sku: "FURN_7777", qty: 3 }]), "k2", "order.updated")).rejects.toMatchObject({
      retryable: false,
      code: "odoo_edit_refused",
      message: expect.stringMatching(/locked order.*part of it was delivered, so it was not replaced: change it in Odoo/s),
    });
    expect(so?.state).toBe("sale");
    expect([...(fake.db.get("sale.order")?.values() ?? [])].filter((o) => String(o.origin).endsWith("7601"))).toHaveLength(1);
  });

  it("a shop cancellation cancels the confirmed sale order (not Odoo's cancel wizard)", async () => {
    const { fake, c } = await odooShop("odoo-cancel");
    const o = order("7401", [{ sku: "FURN_7777", qty: 2 }]);
    await c.pushOrder(o, "k1", "order.created");
    await c.pushOrder({ ...o, status: "cancelled" }, "k2", "order.cancelled");
    expect(saleOrder(fake, "7401")?.state).toBe("cancel");
  });

  it("carries the order name as customer reference, an unknown email as a new contact, the shipping address as a delivery contact", async () => {
    const { fake, c } = await odooShop("odoo-mapping");
    const o = {
      ...order("7501", [{ sku: "FURN_7777", qty: 1 }], "new.buyer@example.com"),
      customer: { name: "Nina Neu" },
      totals: { subtotal: "5.00", shipping: "4.90", tax: "1.88", total: "11.78" },
      shippingAddress: { name: "Nina Neu", address1: "Hafenstr. 1", city: "Hamburg", zip: "20457", country: "DE" },
    };
    await c.pushOrder(o, "k1", "order.created");
    const so = saleOrder(fake, "7501");
    const buyer = [...(fake.db.get("res.partner")?.values() ?? [])].find((p) => p.email === "new.buyer@example.com");
    expect(buyer).toMatchObject({ name: "Nina Neu" });
    expect(so).toMatchObject({ client_order_ref: "#7501", origin: "backroom:7501", partner_id: [buyer?.id, "Nina Neu"] });
    expect(fake.db.get("res.partner")?.get(Number(so?.partner_shipping_id))).toMatchObject({
      type: "delivery",
      parent_id: buyer?.id,
      street: "Hafenstr. 1",
      country_id: 57,
    });
    expect(String(so?.note)).toContain("prices excl. tax");
    expect(String(so?.note)).toContain("shipping 4.90 EUR");
    // The same address again is the same contact.
    await c.pushOrder({ ...o, orderRef: "7502", orderNumber: "#7502" }, "k2", "order.created");
    expect(saleOrder(fake, "7502")?.partner_shipping_id).toBe(so?.partner_shipping_id);
  });
});

describe("the staff sync view", () => {
  it("lists deliveries the queue is still retrying, each with its last error, not only failed ones", async () => {
    const shop = "sync-retrying";
    const { staffKey } = await createShop(shop);
    await createDelivery(poolDb(shop), { id: "ord_retry_1", shop, kind: "erp_order", orderRef: "9901", event: "order.created" }, Date.now());
    await markFailed(poolDb(shop), "ord_retry_1", "retrying", "odoo.test answered 503: busy", Date.now());
    const res = await call(`/v1/staff/${shop}/sync`, { headers: { authorization: `Bearer ${staffKey}` } });
    expect(res.status).toBe(200);
    const body = await res.json<{ retrying: number; failures: Array<{ id: string; status: string; lastError?: string }> }>();
    expect(body.retrying).toBe(1);
    expect(body.failures).toEqual([expect.objectContaining({ id: "ord_retry_1", status: "retrying", lastError: "odoo.test answered 503: busy" })]);
  });
});
