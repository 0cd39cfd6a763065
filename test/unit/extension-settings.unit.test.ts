import { fakeBrowser } from "wxt/testing/fake-browser";
import { beforeEach, describe, expect, it } from "vitest";
import { migrateV1ToV2, readSettings, runtimeMatchFor, type ShopSettings, settingsItem, shopForUrl } from "../../extension/lib/settings";

const shop = (id: string, adminUrl: string): ShopSettings => ({ id, edgeUrl: "https://edge.example", shopId: id, staffKey: `key-${id}`, adminUrl });

describe("stored settings", () => {
  beforeEach(() => fakeBrowser.reset());

  it("starts empty", async () => {
    expect(await readSettings()).toEqual({ shops: [] });
  });

  it("migrates a v1 single shop into the v2 list", async () => {
    // What the first release stored: one shop, version 1 in the item's metadata.
    await fakeBrowser.storage.local.set({
      settings: { edgeUrl: "https://edge.example/", shopId: "acme", staffKey: "sk_1", adminUrl: "https://admin.shopify.com/store/acme" },
      settings$: { v: 1 },
    });
    // WXT runs this when the extension starts; the test runs it explicitly on the stored v1 data.
    await settingsItem.migrate();
    expect(await settingsItem.getValue()).toEqual({
      shops: [{ id: "shop-1", edgeUrl: "https://edge.example", shopId: "acme", staffKey: "sk_1", adminUrl: "https://admin.shopify.com/store/acme" }],
    });
    expect(await fakeBrowser.storage.local.get("settings$")).toEqual({ settings$: { v: 2 } });
  });

  it("drops unreadable v1 data instead of half-migrating it", () => {
    expect(migrateV1ToV2({ edgeUrl: "not a url", shopId: "acme", staffKey: "k" })).toEqual({ shops: [] });
    expect(migrateV1ToV2({ edgeUrl: "https://edge.example", shopId: "acme", staffKey: "" })).toEqual({ shops: [] });
    expect(migrateV1ToV2(null)).toEqual({ shops: [] });
  });

  it("a v1 shop without admin URL is assumed to be on Shopify", () => {
    expect(migrateV1ToV2({ edgeUrl: "https://edge.example", shopId: "acme", staffKey: "k" }).shops[0]?.adminUrl).toBe("https://admin.shopify.com");
  });

  it("reads stored data through the schema: tampered settings come back empty", async () => {
    await fakeBrowser.storage.local.set({ settings: { shops: [{ id: "x", edgeUrl: "javascript:alert(1)" }] }, settings$: { v: 2 } });
    expect(await readSettings()).toEqual({ shops: [] });
  });

  it("round-trips several shops", async () => {
    const shops = [shop("acme", "https://admin.shopify.com/store/acme"), shop("beta", "https://shop.example/wp-admin")];
    await settingsItem.setValue({ shops });
    expect(await readSettings()).toEqual({ shops });
  });
});

describe("which shop a page belongs to", () => {
  const shops = [
    shop("acme", "https://admin.shopify.com/store/acme"),
    shop("acme-eu", "https://admin.shopify.com/store/acme-eu"),
    shop("woo", "https://shop.example/wp-admin"),
    shop("mage", "https://shop.example/admin_x7k2"),
  ];
  it.each([
    ["https://admin.shopify.com/store/acme/products/1", "acme"],
    ["https://admin.shopify.com/store/acme-eu/products/1", "acme-eu"],
    ["https://shop.example/wp-admin/post.php?post=45&action=edit", "woo"],
    ["https://shop.example/admin_x7k2/catalog/product/edit/id/42/", "mage"],
    ["https://admin.shopify.com/store/other/products/1", undefined],
    ["http://shop.example/wp-admin/post.php?post=45&action=edit", undefined],
    ["https://shop.example/wp-admin-evil/x", undefined],
  ])("%s → %s", (url, id) => expect(shopForUrl(shops, url)?.id).toBe(id));

  it.each([
    ["https://admin.shopify.com/store/acme", undefined],
    ["https://store-abc.mybigcommerce.com/manage", undefined],
    ["https://shop.example/wp-admin", "https://shop.example/*"],
    ["http://127.0.0.1:8831/wp-admin", "http://127.0.0.1/*"],
  ])("runtime content script for %s: %s", (adminUrl, match) => expect(runtimeMatchFor(adminUrl)).toBe(match));
});
