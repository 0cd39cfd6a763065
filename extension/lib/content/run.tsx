import { render } from "preact";
import type { ContentScriptContext } from "wxt/utils/content-script-context";
import { createShadowRootUi } from "wxt/utils/content-script-ui/shadow-root";
import { type AdminPage, detectPage } from "../pages";
import type { ListRow, ProductListSubject, Subject } from "../readers";
import { send } from "../send";
import { Badge, ErrorBadge } from "../ui/badge";
import { Notice } from "../ui/notice";
import { OrderPanel } from "../ui/order-panel";
import { ProductPanel } from "../ui/product-panel";
import { PANEL_CSS } from "../ui/styles";
import { waitForReading } from "./wait-for-reading";

interface Mounted {
  remove: () => void;
}

async function mountUi(ctx: ContentScriptContext, name: string, anchor: Element, append: "first" | "last") {
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
  ui.mount();
  return ui;
}

async function showSubject(ctx: ContentScriptContext, page: AdminPage, subject: Subject, mounted: Mounted[], signal: AbortSignal): Promise<void> {
  if (subject.kind === "product" || subject.kind === "order") {
    const ui = await mountUi(ctx, "backroom-panel", subject.anchor, "first");
    if (signal.aborted) return ui.remove();
    mounted.push(ui);
    render(<Notice loading />, ui.uiContainer);
    if (subject.kind === "product") {
      const res = await send({ type: "product", query: subject.query });
      if (signal.aborted) return;
      render(
        res.ok ? <ProductPanel product={res.data.product} platform={page.platform} platformStock={subject.platformStock} /> : <Notice error={res.error} />,
        ui.uiContainer,
      );
      return;
    }
    const res = await send({ type: "order", query: subject.query });
    if (signal.aborted) return;
    const onReplay = async (deliveryId: string) => {
      const r = await send({ type: "replay", deliveryId });
      return r.ok ? undefined : r.error.message;
    };
    render(res.ok ? <OrderPanel view={res.data} onReplay={onReplay} /> : <Notice error={res.error} />, ui.uiContainer);
    return;
  }
  const rows: ListRow[] = subject.kind === "productList" ? [...subject.bySku, ...subject.byPlatformId] : subject.byRef;
  const uis = await Promise.all(rows.map((row) => mountUi(ctx, "backroom-badge", row.cell, "last")));
  if (signal.aborted) {
    for (const ui of uis) ui.remove();
    return;
  }
  mounted.push(...uis);
  // One batched request for the whole page.
  const answer = await (subject.kind === "productList" ? productBadges(subject) : orderBadges(subject.byRef));
  if (signal.aborted) return;
  rows.forEach((row, i) => {
    const ui = uis[i];
    if (!ui) return;
    if (!answer.ok) render(<ErrorBadge message={answer.error.message} />, ui.uiContainer);
    else {
      const item = answer.badges.get(row.key);
      render(item ? <Badge {...item} /> : <Badge label="not in ERP" tone="unknown" title="The edge has no record of this yet" />, ui.uiContainer);
    }
  });
}

type BadgeAnswer = { ok: true; badges: Map<string, { label: string; tone: string; title: string }> } | { ok: false; error: { message: string } };

async function productBadges(subject: ProductListSubject): Promise<BadgeAnswer> {
  const res = await send({
    type: "productBadges",
    skus: subject.bySku.map((r) => r.key),
    platformIds: subject.byPlatformId.map((r) => r.key),
    kind: "product",
  });
  if (!res.ok) return res;
  return {
    ok: true,
    badges: new Map(
      res.data.items.map((i) => [
        i.asked,
        { label: `${i.available} available`, tone: i.status, title: `${i.sku}: ${i.onHand} on hand, ${i.available} available` },
      ]),
    ),
  };
}

async function orderBadges(rows: ListRow[]): Promise<BadgeAnswer> {
  const res = await send({ type: "orderBadges", refs: rows.map((r) => r.key), numbers: [] });
  if (!res.ok) return res;
  return {
    ok: true,
    badges: new Map(
      res.data.items.map((i) => [
        i.asked,
        { label: `ERP: ${i.status}`, tone: i.status, title: i.erpRef ? `ERP ref ${i.erpRef}` : "Not yet acknowledged by the ERP" },
      ]),
    ),
  };
}

/**
 * The content script's whole life on an admin page: recognise the page from its URL, read it,
 * overlay the panel or badges, and start over when a single-page admin navigates.
 */
export function runAdmin(ctx: ContentScriptContext): void {
  const mounted: Mounted[] = [];
  let current: AbortController | undefined;

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
    await showSubject(ctx, page, reading.subject, mounted, controller.signal);
  };

  ctx.addEventListener(window, "wxt:locationchange", ({ newUrl }) => void show(newUrl.href));
  ctx.onInvalidated(clear);
  void show(location.href);
}
