import { browser } from "wxt/browser";
import { defineBackground } from "wxt/utils/define-background";
import { storage } from "wxt/utils/storage";
import { z } from "zod";
import { handleMessage } from "../lib/background/handle";
import { liveConnections } from "../lib/background/live";
import { syncRuntimeRegistrations } from "../lib/background/registrations";
import { countFailures, toolbarBadge } from "../lib/background/toolbar";
import { edgeClient } from "../lib/edge-client";
import { LIVE_PORT, type LiveEvent } from "../lib/messages";
import { readSettings, settingsItem, shopForUrl } from "../lib/settings";

const Kept = z.object({ data: z.unknown(), at: z.string() });

export default defineBackground(() => {
  // Registration changes are serialised: two overlapping runs would register the same script id twice.
  let registering: Promise<string[]> = Promise.resolve([]);
  const syncRegistrations = () => {
    registering = registering.catch(() => []).then(async () => syncRuntimeRegistrations((await readSettings()).shops));
    return registering;
  };
  const client = (shop: Parameters<typeof edgeClient>[0]) => edgeClient(shop);
  const hasOrigin = (pattern: string) => browser.permissions.contains({ origins: [pattern] });

  // Open panels, badges and the popup listen on ports; each hears the changes of its own shop (extension pages: all).
  const listeners = new Set<{ port: Browser.runtime.Port; shop: string | undefined; all: boolean }>();
  let toolbarTimer: ReturnType<typeof setTimeout> | undefined;
  const refreshToolbar = () => {
    clearTimeout(toolbarTimer);
    toolbarTimer = setTimeout(async () => {
      const healths = await Promise.all(
        live.shops().map((s) =>
          client(s)
            .sync()
            .catch(() => undefined),
        ),
      );
      const badge = toolbarBadge(countFailures(healths));
      await browser.action.setBadgeText({ text: badge?.text ?? "" });
      await browser.action.setTitle({ title: badge?.title ?? "Backroom for staff" });
      if (badge) await browser.action.setBadgeBackgroundColor({ color: badge.color });
      if (badge) await browser.action.setBadgeTextColor?.({ color: "#ffffff" });
    }, 300);
  };
  const emit = (event: LiveEvent) => {
    for (const l of listeners) if (l.all || l.shop === event.shop) l.port.postMessage(event);
    if (event.type === "orders" || (event.type === "status" && event.status.state === "live")) refreshToolbar();
  };
  const live = liveConnections({
    client,
    hasOrigin,
    openSocket: (url, protocols) => new WebSocket(url, protocols),
    emit,
    setTimer: (fn, ms) => {
      const t = setTimeout(fn, ms);
      return () => clearTimeout(t);
    },
    now: () => Date.now(),
    random: Math.random,
  });
  const syncLive = async () => live.sync((await readSettings()).shops);

  const deps = {
    settings: readSettings,
    client,
    hasOrigin,
    syncRegistrations,
    liveStatus: () => live.status(),
    lastKnown: {
      get: async (key: string) => {
        const kept = Kept.safeParse(await storage.getItem(`session:lastKnown:${key}`));
        return kept.success ? kept.data : undefined;
      },
      set: (key: string, value: z.infer<typeof Kept>) => storage.setItem(`session:lastKnown:${key}`, value),
    },
  };

  const extensionOrigin = new URL(browser.runtime.getURL("/")).origin;
  const fromExtension = (sender: Browser.runtime.MessageSender) =>
    sender.id === browser.runtime.id && sender.url !== undefined && new URL(sender.url).origin === extensionOrigin;
  browser.runtime.onMessage.addListener(async (message, sender) => {
    const result = await handleMessage(message, { url: sender.tab?.url ?? sender.url, fromExtensionPage: fromExtension(sender) }, deps);
    // The edge answered (staff pressed Retry, or the network is back): sockets waiting out a backoff reconnect now.
    if (result.ok) live.retry();
    return result;
  });

  browser.runtime.onConnect.addListener((port) => {
    if (port.name !== LIVE_PORT) return;
    // Extension pages (popup, options; also when opened in a tab) hear every shop; an admin tab only its own.
    const all = port.sender ? fromExtension(port.sender) : false;
    const url = all ? undefined : port.sender?.tab?.url;
    const entry = { port, shop: undefined as string | undefined, all };
    listeners.add(entry);
    port.onDisconnect.addListener(() => listeners.delete(entry));
    void readSettings().then(({ shops }) => {
      entry.shop = url ? shopForUrl(shops, url)?.id : undefined;
      const status = live.status();
      for (const [shop, s] of Object.entries(status)) if (all || shop === entry.shop) port.postMessage({ type: "status", shop, status: s } satisfies LiveEvent);
    });
  });

  settingsItem.watch(() => {
    void syncRegistrations();
    void syncLive();
  });
  browser.permissions.onAdded.addListener(() => {
    void syncRegistrations();
    live.retry();
  });
  browser.permissions.onRemoved.addListener(() => void syncRegistrations());
  void syncRegistrations();
  void syncLive();
});
