import { useComputed, useSignal, useSignalEffect } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { browser } from "wxt/browser";
import { openLiveFeed } from "../content/live-feed";
import type { LiveState } from "../messages";
import { send } from "../send";
import { adminUrlsOf, originPattern, readSettings, runtimeMatchFor, type ShopSettings, ShopSettings as ShopSettingsSchema, settingsItem } from "../settings";
import { LiveDot } from "./live-dot";

/** The form's fields, as typed: admin URLs one per line. */
interface Draft {
  label: string;
  edgeUrl: string;
  shopId: string;
  staffKey: string;
  adminUrls: string;
}
const EMPTY: Draft = { label: "", edgeUrl: "", shopId: "", staffKey: "", adminUrls: "" };
type Status = { tone: "ok" | "error" | "muted"; text: string } | undefined;

const toDraft = (s: ShopSettings): Draft => ({
  label: s.label ?? "",
  edgeUrl: s.edgeUrl,
  shopId: s.shopId,
  staffKey: s.staffKey,
  adminUrls: adminUrlsOf(s).join("\n"),
});

/** The names staff see on the form, for messages about a field. */
const FIELD_NAMES: Record<string, string> = {
  label: "Name",
  edgeUrl: "Edge URL",
  shopId: "Shop id",
  staffKey: "Staff key",
  adminUrl: "Admin URLs",
  moreAdminUrls: "Admin URLs",
};

/** What is wrong with a draft, in the form's own words ("Check Edge URL: …"). */
export function draftProblems(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): string {
  const named = [...new Set(issues.map((i) => FIELD_NAMES[String(i.path[0])] ?? String(i.path[0])))];
  return `Check ${named.join(", ")}: ${issues[0]?.message ?? "invalid"}`;
}

/** The origins a shop needs: its edge, and each admin no manifest content script covers. */
const originsFor = (shop: ShopSettings): string[] => [
  originPattern(shop.edgeUrl),
  ...adminUrlsOf(shop)
    .map(runtimeMatchFor)
    .filter((m): m is string => m !== undefined),
];

function ShopForm({
  initial,
  id,
  live,
  onSaved,
  onRemoved,
}: {
  initial: Draft;
  id: string;
  live?: LiveState | undefined;
  onSaved: () => void;
  onRemoved?: () => void;
}) {
  const draft = useSignal(initial);
  const status = useSignal<Status>(undefined);
  const confirming = useSignal(false);
  const tone = useComputed(() => status.value?.tone ?? "muted");
  const message = useComputed(() => status.value?.text ?? "");
  const field = (key: Exclude<keyof Draft, "adminUrls">, label: string, placeholder = "") => {
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
    const { adminUrls, label, ...rest } = draft.value;
    const [adminUrl = "", ...moreAdminUrls] = adminUrls.split(/\s+/).filter(Boolean);
    const parsed = ShopSettingsSchema.safeParse({
      id,
      ...rest,
      adminUrl,
      ...(moreAdminUrls.length > 0 ? { moreAdminUrls } : {}),
      ...(label ? { label } : {}),
    });
    if (!parsed.success) {
      status.value = { tone: "error", text: draftProblems(parsed.error.issues) };
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
      unreachable: `Edge unreachable: nothing answered at ${shop.edgeUrl} (stopped, or a wrong address)`,
      wrong_url: `Wrong edge URL: something answered at ${shop.edgeUrl}, but it is not a Backroom edge`,
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

  const adminId = `${id}-adminUrls`;
  return (
    <fieldset data-shop={id}>
      {onRemoved ? (
        <legend>
          {draft.value.label || draft.value.shopId} <LiveDot state={live} />
        </legend>
      ) : null}
      {field("label", "Name (optional)", "Acme EU")}
      {field("edgeUrl", "Edge URL", "https://backroom.example.workers.dev")}
      {field("shopId", "Shop id", "acme")}
      {field("staffKey", "Staff key")}
      <label htmlFor={adminId}>
        Admin URLs (one per line; the same edge and key serve them all)
        <textarea
          id={adminId}
          name="adminUrls"
          rows={2}
          value={draft.value.adminUrls}
          placeholder="https://admin.shopify.com/store/acme or https://shop.example/wp-admin"
          onInput={(e) => {
            draft.value = { ...draft.value, adminUrls: e.currentTarget.value };
          }}
        />
      </label>
      <button type="button" onClick={test}>
        Test connection
      </button>
      <button type="button" class="primary" onClick={save}>
        Save
      </button>
      {onRemoved && !confirming.value ? (
        <button
          type="button"
          onClick={() => {
            confirming.value = true;
          }}
        >
          Remove
        </button>
      ) : null}
      {onRemoved && confirming.value ? (
        <div data-field="confirmRemove">
          Remove {draft.value.label || draft.value.shopId} and forget its staff key?{" "}
          <button type="button" class="danger" onClick={() => void remove()}>
            Yes, remove
          </button>
          <button
            type="button"
            onClick={() => {
              confirming.value = false;
            }}
          >
            Cancel
          </button>
        </div>
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
  const states = useSignal<Record<string, LiveState>>({});
  useEffect(() => {
    void send({ type: "liveStatus" }).then((r) => {
      if (r.ok) states.value = { ...r.data, ...states.value };
    });
    const feed = openLiveFeed();
    const off = feed.subscribe((e) => {
      if (e.type === "status") states.value = { ...states.value, [e.shop]: e.status };
    });
    return () => {
      off();
      feed.close();
    };
  }, []);
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
        <ShopForm key={s.id} id={s.id} initial={toDraft(s)} live={states.value[s.id]} onSaved={reload} onRemoved={reload} />
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
