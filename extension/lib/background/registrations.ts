import { browser } from "wxt/browser";
import { adminUrlsOf, runtimeMatchFor, type ShopSettings } from "../settings";

export const RUNTIME_SCRIPT_ID = "backroom-admin-runtime";
export const RUNTIME_SCRIPT_FILE = "content-scripts/admin-runtime.js";

/** The match patterns self-hosted admins need (WooCommerce, Magento, custom BigCommerce hosts), deduplicated. */
export const wantedMatches = (shops: readonly ShopSettings[]): string[] => [
  ...new Set(shops.flatMap((s) => adminUrlsOf(s).map(runtimeMatchFor)).filter((m): m is string => m !== undefined)),
];

/**
 * Registers the admin content script for the self-hosted admins staff have granted access to. The
 * manifest only names the hosted admins; everything else is opt-in, one origin at a time.
 */
export async function syncRuntimeRegistrations(shops: readonly ShopSettings[]): Promise<string[]> {
  const granted: string[] = [];
  for (const pattern of wantedMatches(shops)) {
    if (await browser.permissions.contains({ origins: [pattern] })) granted.push(pattern);
  }
  const existing = await browser.scripting.getRegisteredContentScripts({ ids: [RUNTIME_SCRIPT_ID] });
  if (existing.length > 0) await browser.scripting.unregisterContentScripts({ ids: [RUNTIME_SCRIPT_ID] });
  if (granted.length > 0) {
    await browser.scripting.registerContentScripts([
      { id: RUNTIME_SCRIPT_ID, matches: granted, js: [RUNTIME_SCRIPT_FILE], runAt: "document_idle", persistAcrossSessions: true },
    ]);
  }
  return granted;
}
