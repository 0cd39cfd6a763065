import { useComputed, useSignal, useSignalEffect } from "@preact/signals";
import { browser } from "wxt/browser";
import { send } from "../send";
import { originPattern, runtimeMatchFor, type ShopSettings, ShopSettings as ShopSettingsSchema, settingsItem, readSettings } from "../settings";

type Draft = Omit<ShopSettings, "id">;
const EMPTY: Draft = { edgeUrl: "", shopId: "", staffKey: "", adminUrl: "" };
type Status = { tone: "ok" | "error" | "muted"; text: string } | undefined;

/** The origins a shop needs: its edge, and its admin when no manifest content script covers it. */
const originsFor = (shop: ShopSettings): string[] => {
  const admin = runtimeMatchFor(shop.adminUrl);
  return [originPattern(shop.edgeUrl), ...(admin ? [admin] : [])];
};

function ShopForm({ initial, id, onSaved, onRemoved }: { initial: Draft; id: string; onSaved: () => void; onRemoved?: () => void }) {
  const draft = useSignal(initial);
  const status = useSignal<Status>(undefined);
  const tone = useComputed(() => status.value?.tone ?? "muted");
  const message = useComputed(() => status.value?.text ?? "");
  const field = (key: keyof Draft, label: string, placeholder = "") => {
    const props = {
      name: key,
      value: draft.value[key],
      placeholder,
      autocomplete: "off",
      onInput: (e: { currentTarget: HTMLInputElement }) => {
        draft.value = { ...draft.value, [key]: e.currentTarget.value.trim() };
      },
    };
    const inputId = `${id}-${key}`;
    return (
      <label htmlFor={inputId}>
        {label}
        {key === "staffKey" ? <input id={inputId} type="password" {...props} /> : <input id={inputId} type="text" {...props} />}
      </label>
    );
  };

  // permissions.request needs the click's user gesture: it is the first thing each handler does.
  const withPermission = (then: (shop: ShopSettings) => Promise<void>) => () => {
    const parsed = ShopSettingsSchema.safeParse({ id, ...draft.value });
    if (!parsed.success) {
      status.value = { tone: "error", text: `Check ${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}` };
      return;
    }
    const shop = parsed.data;
    browser.permissions.request({ origins: originsFor(shop) }).then(
      (granted) => {
        if (granted) void then(shop);
        else status.value = { tone: "error", text: `Access to ${shop.edgeUrl} was not allowed: the extension cannot reach the edge` };
      },
      (e: unknown) => {
        status.value = { tone: "error", text: e instanceof Error ? e.message : "Permission request failed" };
      },
    );
  };

  const test = withPermission(async (shop) => {
    status.value = { tone: "muted", text: "Testing…" };
    const res = await send({ type: "testConnection", shop });
    if (res.ok) {
      const sync = res.data.syncRoutes ? "" : " (this edge does not report order sync yet)";
      status.value = { tone: "ok", text: `Connected: shop "${res.data.shopId}" at ${res.data.edgeUrl} accepts this key${sync}` };
      return;
    }
    const text: Record<string, string> = {
      unreachable: `Edge unreachable: nothing answered at ${shop.edgeUrl}`,
      unauthorized: `Bad staff key: the edge rejected it for shop "${shop.shopId}"`,
      shop_not_found: `Unknown shop: the edge has no shop "${shop.shopId}"`,
      permission_missing: `Access to ${shop.edgeUrl} is not allowed`,
    };
    status.value = { tone: "error", text: text[res.error.code] ?? res.error.message };
  });

  const save = withPermission(async (shop) => {
    const { shops } = await readSettings();
    const next = shops.some((s) => s.id === shop.id) ? shops.map((s) => (s.id === shop.id ? shop : s)) : [...shops, shop];
    await settingsItem.setValue({ shops: next });
    await send({ type: "syncRegistrations" });
    status.value = { tone: "ok", text: "Saved" };
    onSaved();
  });

  const remove = async () => {
    const { shops } = await readSettings();
    await settingsItem.setValue({ shops: shops.filter((s) => s.id !== id) });
    onRemoved?.();
  };

  return (
    <fieldset data-shop={id}>
      {field("edgeUrl", "Edge URL", "https://backroom.example.workers.dev")}
      {field("shopId", "Shop id", "acme")}
      {field("staffKey", "Staff key")}
      {field("adminUrl", "Admin URL", "https://admin.shopify.com/store/acme or https://shop.example/wp-admin")}
      <button type="button" onClick={test}>
        Test connection
      </button>
      <button type="button" class="primary" onClick={save}>
        Save
      </button>
      {onRemoved ? (
        <button type="button" onClick={remove}>
          Remove
        </button>
      ) : null}
      <p class={tone} data-status role="status">
        {message}
      </p>
    </fieldset>
  );
}

/** Several shops, each: edge URL, shop id, staff key (a password field) and admin URL. */
export function OptionsPage() {
  const shops = useSignal<ShopSettings[] | undefined>(undefined);
  // Bumped on each save of the "add" form, so a fresh empty form replaces it.
  const adding = useSignal(0);
  const reload = () =>
    void readSettings().then((s) => {
      shops.value = s.shops;
    });
  useSignalEffect(reload);
  if (!shops.value) return <p class="muted">Loading…</p>;
  return (
    <main>
      <h1>Backroom for staff</h1>
      <p class="muted">Staff keys stay in this browser's extension storage; only the extension's background sends them, and only to the edge.</p>
      {shops.value.map((s) => (
        <ShopForm key={s.id} id={s.id} initial={s} onSaved={reload} onRemoved={reload} />
      ))}
      <h2>{shops.value.length === 0 ? "Add your shop" : "Add another shop"}</h2>
      <ShopForm
        key={`new-${adding.value}`}
        id={`shop-${Date.now().toString(36)}-${adding.value}`}
        initial={EMPTY}
        onSaved={() => {
          adding.value++;
          reload();
        }}
      />
    </main>
  );
}
