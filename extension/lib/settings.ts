import { storage } from "wxt/utils/storage";
import { z } from "zod";
import { ShopId } from "../../worker/contract";

/** An edge base URL: http(s), no query or fragment, kept without a trailing slash. */
const BaseUrl = z
  .url({ protocol: /^https?$/ })
  .transform((u) => u.replace(/\/+$/, ""))
  .refine((u) => !/[?#]/.test(u), "no query or fragment");

/** One shop staff work on: which edge, which shop there, the staff key, and where its admin lives. */
export const ShopSettings = z.object({
  /** Local id of this entry (the same shop id may sit on two edges, e.g. staging and production). */
  id: z.string().min(1).max(64),
  edgeUrl: BaseUrl,
  shopId: ShopId,
  staffKey: z.string().min(1).max(256),
  /** The admin's URL prefix, e.g. `https://admin.shopify.com/store/acme` or `https://shop.example/wp-admin`. */
  adminUrl: BaseUrl,
  /** Further admins served by the same edge and key (staging, a second storefront's admin). */
  moreAdminUrls: z.array(BaseUrl).max(10).optional(),
  /** What staff call this shop ("Acme EU"), shown in the popup and options. */
  label: z.string().trim().max(60).optional(),
});
export type ShopSettings = z.infer<typeof ShopSettings>;

/** Every admin URL of a shop entry. */
export const adminUrlsOf = (s: Pick<ShopSettings, "adminUrl" | "moreAdminUrls">): string[] => [s.adminUrl, ...(s.moreAdminUrls ?? [])];

/** How a shop entry is named to staff: its label, else shop id and edge host. */
export const shopLabel = (s: Pick<ShopSettings, "label" | "shopId" | "edgeUrl">): string => s.label || `${s.shopId} · ${new URL(s.edgeUrl).host}`;

export const Settings = z.object({ shops: z.array(ShopSettings).max(50) });
export type Settings = z.infer<typeof Settings>;

/** Version 1 (the first release) held exactly one shop. */
export const SettingsV1 = z.object({ edgeUrl: z.string(), shopId: z.string(), staffKey: z.string(), adminUrl: z.string().optional() });
export type SettingsV1 = z.infer<typeof SettingsV1>;

/** v1 → v2: the one shop becomes the first entry of a list. Unreadable v1 data starts empty rather than half-migrated. */
export function migrateV1ToV2(old: unknown): Settings {
  const v1 = SettingsV1.safeParse(old);
  if (!v1.success || v1.data.staffKey === "") return { shops: [] };
  const shop = ShopSettings.safeParse({ id: "shop-1", ...v1.data, adminUrl: v1.data.adminUrl ?? "https://admin.shopify.com" });
  return { shops: shop.success ? [shop.data] : [] };
}

/** The one declaration of the stored settings (extension-local storage, never synced: it holds staff keys). */
export const settingsItem = storage.defineItem<Settings>("local:settings", {
  fallback: { shops: [] },
  version: 2,
  migrations: { 2: migrateV1ToV2 },
});

/** Reads the settings through their schema: storage is a trust boundary too. */
export async function readSettings(): Promise<Settings> {
  const parsed = Settings.safeParse(await settingsItem.getValue());
  return parsed.success ? parsed.data : { shops: [] };
}

/**
 * The configured shop whose admin a page belongs to: same origin, and the page's path under the
 * admin path (the longest such prefix wins, so two Shopify stores never mix).
 */
export function shopForUrl(shops: readonly ShopSettings[], href: string): ShopSettings | undefined {
  let page: URL;
  try {
    page = new URL(href);
  } catch {
    return undefined;
  }
  let best: { shop: ShopSettings; length: number } | undefined;
  for (const shop of shops) {
    for (const adminUrl of adminUrlsOf(shop)) {
      const admin = new URL(adminUrl);
      const prefix = admin.pathname.replace(/\/+$/, "");
      const under = page.pathname === prefix || page.pathname.startsWith(`${prefix}/`);
      if (admin.origin === page.origin && under && (!best || prefix.length > best.length)) best = { shop, length: prefix.length };
    }
  }
  return best?.shop;
}

/** Admin hosts the manifest's content script already covers; other admins are registered at runtime. */
export const STATIC_ADMIN_MATCHES = ["*://admin.shopify.com/store/*", "*://*.mybigcommerce.com/manage/*"];

/** The match pattern (all ports, as match patterns have no port) for a self-hosted admin, or undefined when a static one covers it. */
export function runtimeMatchFor(adminUrl: string): string | undefined {
  const url = new URL(adminUrl);
  if (url.hostname === "admin.shopify.com" || url.hostname.endsWith(".mybigcommerce.com")) return undefined;
  return `${url.protocol}//${url.hostname}/*`;
}

/** The origin pattern the extension needs permission for to reach an edge or an admin. */
export const originPattern = (u: string): string => {
  const url = new URL(u);
  return `${url.protocol}//${url.hostname}/*`;
};
