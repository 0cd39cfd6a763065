import { render } from "preact";
import type { ContentScriptContext } from "wxt/utils/content-script-context";
import { createShadowRootUi } from "wxt/utils/content-script-ui/shadow-root";
import type { LiveEvent } from "../messages";
import { type AdminPage, detectPage } from "../pages";
import type { ListRow, ProductListSubject, Subject } from "../readers";
import { send } from "../send";
import { Badge, ErrorBadge, orderBadge, productBadge } from "../ui/badge";
import { QualitySummary } from "../ui/quality-summary";
import { PANEL_CSS } from "../ui/styles";
import { type LiveFeed, openLiveFeed } from "./live-feed";
import { LiveOrder, LiveProduct } from "./live-panels";
import { waitForReading } from "./wait-for-reading";

interface Mounted {
  remove: () => void;
}

async function mountUi(ctx: ContentScriptContext, name: string, anchor: Element, append: "first" | "last", page: AdminPage) {
  const ui = await createShadowRootUi<HTMLElement>(ctx, {
    name,
    position: "inline",
    anchor,
    append,
    css: PANEL_CSS,
    onMount: (container) => container,
    onRemove: (container) => {
      if (container) render(null, container);
    },
  });
  // The admin's own look: the panel's CSS picks its tokens by platform.
  ui.shadowHost.setAttribute("data-platform", page.platform);
  ui.mount();
  return ui;
}

type BadgeAnswer =
  | { ok: true; badges: Map<string, { label: string; tone: string; title: string }>; skus: Set<string>; orderRefs: Set<string> }
  | { ok: false; error: { message: string } };

async function productBadges(subject: ProductListSubject): Promise<BadgeAnswer> {
  const res = await send({
    type: "productBadges",
    skus: subject.bySku.map((r) => r.key),
    platformIds: subject.byPlatformId.map((r) => r.key),
    kind: "product",
  });
  if (!res.ok) return res;
  const shown = new Map([...subject.bySku, ...subject.byPlatformId].map((r) => [r.key, r.platformStock]));
  return {
    ok: true,
    badges: new Map(res.data.items.map((i) => [i.asked, productBadge(i, shown.get(i.asked))])),
    skus: new Set(res.data.items.map((i) => i.sku)),
    orderRefs: new Set(),
  };
}

async function orderBadges(rows: ListRow[]): Promise<BadgeAnswer> {
  const res = await send({ type: "orderBadges", refs: rows.map((r) => r.key), numbers: [] });
  if (!res.ok) return res;
  return {
    ok: true,
    badges: new Map(res.data.items.map((i) => [i.asked, orderBadge(i)])),
    skus: new Set(),
    orderRefs: new Set(res.data.items.map((i) => i.orderRef)),
  };
}

/**
 * Above a product list: the shop's data-quality summary (issue 15), one request per page. An edge
 * without the report, or a key without `read`, shows nothing: the badges are what the page is for.
 */
async function showQuality(ctx: ContentScriptContext, page: AdminPage, rows: ListRow[], mounted: Mounted[], signal: AbortSignal) {
  const table = rows[0]?.cell.closest("table");
  const anchor = table?.parentElement;
  if (!anchor) return;
  const res = await send({ type: "quality" });
  if (!res.ok || signal.aborted) return;
  const ui = await mountUi(ctx, "backroom-quality", anchor, "first", page);
  if (signal.aborted) return ui.remove();
  mounted.push(ui);
  const accept = async (alias: string, sku: string) => {
    const done = await send({ type: "acceptAlias", alias, sku });
    return done.ok ? undefined : done.error.message;
  };
  render(<QualitySummary report={res.data} onAccept={accept} />, ui.uiContainer);
}

async function showSubject(
  ctx: ContentScriptContext,
  page: AdminPage,
  subject: Subject,
  mounted: Mounted[],
  signal: AbortSignal,
  feed: LiveFeed,
): Promise<void> {
  if (subject.kind === "product" || subject.kind === "order") {
    const ui = await mountUi(ctx, "backroom-panel", subject.anchor, "first", page);
    if (signal.aborted) return ui.remove();
    mounted.push(ui);
    render(
      subject.kind === "product" ? (
        <LiveProduct
          query={subject.query}
          platform={page.platform}
          feed={feed}
          {...(subject.platformStock !== undefined ? { platformStock: subject.platformStock } : {})}
          {...(subject.platformPrice !== undefined ? { platformPrice: subject.platformPrice } : {})}
        />
      ) : (
        <LiveOrder query={subject.query} feed={feed} />
      ),
      ui.uiContainer,
    );
    return;
  }
  const rows: ListRow[] = subject.kind === "productList" ? [...subject.bySku, ...subject.byPlatformId] : subject.byRef;
  const uis = await Promise.all(rows.map((row) => mountUi(ctx, "backroom-badge", row.cell, "last", page)));
  if (signal.aborted) {
    for (const ui of uis) ui.remove();
    return;
  }
  mounted.push(...uis);
  if (subject.kind === "productList") void showQuality(ctx, page, rows, mounted, signal);
  let last: BadgeAnswer | undefined;
  // One batched request for the whole page; again when the edge says a row's SKU or order changed.
  const load = async () => {
    const answer = await (subject.kind === "productList" ? productBadges(subject) : orderBadges(subject.byRef));
    if (signal.aborted) return;
    last = answer;
    rows.forEach((row, i) => {
      const ui = uis[i];
      if (!ui) return;
      if (!answer.ok) render(<ErrorBadge message={answer.error.message} />, ui.uiContainer);
      else {
        const item = answer.badges.get(row.key);
        render(item ? <Badge {...item} /> : <Badge label="not in ERP" tone="unknown" title="The edge has no record of this yet" />, ui.uiContainer);
      }
    });
  };
  const touches = (e: LiveEvent) =>
    last?.ok === true &&
    ((e.type === "stock" && e.skus.some((s) => last?.ok && last.skus.has(s))) ||
      (e.type === "orders" && e.orderRefs.some((r) => last?.ok && last.orderRefs.has(r))));
  const unsubscribe = feed.subscribe((e) => {
    if (touches(e)) void load();
  });
  signal.addEventListener("abort", unsubscribe);
  await load();
}

/**
 * The content script's whole life on an admin page: recognise the page from its URL, read it,
 * overlay the panel or badges (kept current through the background's live feed), and start over
 * when a single-page admin navigates.
 */
export function runAdmin(ctx: ContentScriptContext): void {
  const mounted: Mounted[] = [];
  let current: AbortController | undefined;
  const feed = openLiveFeed();

  const clear = () => {
    current?.abort();
    for (const ui of mounted.splice(0)) ui.remove();
  };

  const show = async (href: string) => {
    clear();
    const page = detectPage(href);
    if (!page) return;
    const controller = new AbortController();
    current = controller;
    const reading = await waitForReading(page, href, document, controller.signal);
    if (!reading || controller.signal.aborted) return;
    await showSubject(ctx, page, reading.subject, mounted, controller.signal, feed);
  };

  ctx.addEventListener(window, "wxt:locationchange", ({ newUrl }) => void show(newUrl.href));
  ctx.onInvalidated(() => {
    clear();
    feed.close();
  });
  void show(location.href);
}
