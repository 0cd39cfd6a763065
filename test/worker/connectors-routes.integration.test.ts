import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { runScheduled } from "../../worker/scheduled";
import { createOdooFake, FAKE_KEY, FAKE_LOGIN, fakeDb } from "../fakes/odoo/app";
import { routeFetch } from "../fakes/route-fetch";
import { call, createShop, poolDb, putErpConnector } from "./helpers";

let restore: (() => void) | undefined;
afterEach(() => restore?.());

const odoo = { kind: "odoo", url: "http://odoo.test", db: fakeDb(17), protocol: "jsonrpc", login: FAKE_LOGIN, apiKey: FAKE_KEY };

describe("connector settings (the operator's ERP slot) and runs for staff", () => {
  it("saves settings sealed, shows them redacted, runs a pull on demand and from the cron", async () => {
    const shop = "conn-routes";
    const { staffKey } = await createShop(shop);
    const auth = { authorization: `Bearer ${staffKey}`, "content-type": "application/json" };
    restore = routeFetch({ "odoo.test": createOdooFake(17) }).mockRestore;

    expect(
      (
        await call(`/v1/admin/shops/${shop}/connectors/erp`, {
          method: "PUT",
          headers: { ...auth, authorization: "Bearer nope" },
          body: JSON.stringify({ settings: odoo }),
        })
      ).status,
    ).toBe(401);
    expect((await putErpConnector("conn-routes-nope", odoo)).status).toBe(404);
    const wrongSlot = await call(`/v1/staff/${shop}/connectors/platform`, { method: "PUT", headers: auth, body: JSON.stringify({ settings: odoo }) });
    expect(wrongSlot.status).toBe(400);
    expect(await wrongSlot.json()).toMatchObject({ error: { code: "wrong_slot" } });
    const invalid = await putErpConnector(shop, { ...odoo, url: "not a url" });
    expect(invalid.status).toBe(400);
    // The error names the setting, not just "settings".
    expect(await invalid.json()).toMatchObject({ error: { code: "validation_failed", details: [expect.objectContaining({ path: "settings.url" })] } });
    const badProtocol = await putErpConnector(shop, { ...odoo, protocol: "xmlrpc" });
    expect(badProtocol.status).toBe(400);
    expect(await badProtocol.json()).toMatchObject({ error: { code: "validation_failed", details: [expect.objectContaining({ path: "settings.protocol" })] } });
    const notErp = await putErpConnector(shop, { kind: "woocommerce", url: "https://shop.example", consumerKey: "ck", consumerSecret: "cs" });
    expect(notErp.status).toBe(400);
    const saved = await putErpConnector(shop, odoo);
    expect(saved.status).toBe(200);

    const sealed = await poolDb(shop).prepare("SELECT sealed FROM connector_settings WHERE shop_id = ?").bind(shop).first<{ sealed: string }>();
    expect(sealed?.sealed).toMatch(/^v1\./);
    expect(sealed?.sealed).not.toContain("apiKey");
    expect(sealed?.sealed).not.toContain("odoo.test");

    const ran = await call(`/v1/staff/${shop}/connectors/erp/run`, { method: "POST", headers: auth });
    expect(ran.status).toBe(200);
    expect(await ran.json()).toMatchObject({ status: "ok" });
    expect((await call(`/v1/staff/${shop}/connectors/platform/run`, { method: "POST", headers: auth })).status).toBe(404);

    await runScheduled("* * * * *", env, Date.now());
    const view = await (await call(`/v1/staff/${shop}/connectors`, { headers: auth })).json<{
      connectors: Array<{ slot: string; kind: string; settings: Record<string, unknown> }>;
      cursors: Array<{ connector: string; resource: string }>;
      runs: Array<{ kind: string; status: string; applied: number }>;
    }>();
    expect(view.connectors).toEqual([
      expect.objectContaining({ slot: "erp", kind: "odoo", settings: expect.objectContaining({ apiKey: "***", db: fakeDb(17) }) }),
    ]);
    expect(view.cursors.map((c) => c.resource)).toEqual(expect.arrayContaining(["products", "stock", "orders"]));
    // The on-demand run and the cron's run; the second found nothing new.
    expect(view.runs).toHaveLength(2);
    expect(view.runs.every((r) => r.kind === "pull" && r.status === "ok")).toBe(true);
    expect(view.runs[1]?.applied).toBeGreaterThan(0);
  });
});
