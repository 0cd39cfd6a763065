import { browser } from "wxt/browser";
import { defineBackground } from "wxt/utils/define-background";
import { handleMessage } from "../lib/background/handle";
import { syncRuntimeRegistrations } from "../lib/background/registrations";
import { edgeClient } from "../lib/edge-client";
import { readSettings, settingsItem } from "../lib/settings";

export default defineBackground(() => {
  // Registration changes are serialised: two overlapping runs would register the same script id twice.
  let registering: Promise<string[]> = Promise.resolve([]);
  const syncRegistrations = () => {
    registering = registering.catch(() => []).then(async () => syncRuntimeRegistrations((await readSettings()).shops));
    return registering;
  };

  const deps = {
    settings: readSettings,
    client: (shop: Parameters<typeof edgeClient>[0]) => edgeClient(shop),
    hasOrigin: (pattern: string) => browser.permissions.contains({ origins: [pattern] }),
    syncRegistrations,
  };

  const extensionOrigin = new URL(browser.runtime.getURL("/")).origin;
  browser.runtime.onMessage.addListener((message, sender) => {
    const fromExtensionPage = sender.id === browser.runtime.id && sender.url !== undefined && new URL(sender.url).origin === extensionOrigin;
    return handleMessage(message, { url: sender.tab?.url ?? sender.url, fromExtensionPage }, deps);
  });

  settingsItem.watch(() => void syncRegistrations());
  browser.permissions.onAdded.addListener(() => void syncRegistrations());
  browser.permissions.onRemoved.addListener(() => void syncRegistrations());
  void syncRegistrations();
});
