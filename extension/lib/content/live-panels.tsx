import type { OrderQuery, ProductQuery } from "../messages";
import type { Platform } from "../pages";
import { send } from "../send";
import { ForecastSection } from "../ui/forecast-section";
import { Freshness } from "../ui/freshness";
import { Notice } from "../ui/notice";
import { OrderPanel } from "../ui/order-panel";
import { ProductPanel } from "../ui/product-panel";
import type { LiveFeed } from "./live-feed";
import { useLiveAnswer } from "./use-live-answer";

/** A product page's panel, kept current: re-read when the edge says the SKU's stock changed. */
export function LiveProduct(props: { query: ProductQuery; platform: Platform; platformStock?: number; platformPrice?: string; feed: LiveFeed }) {
  const { answer, reload } = useLiveAnswer(
    () => send({ type: "product", query: props.query }),
    props.feed,
    (e, view) => e.type === "stock" && (e.skus.includes(view.product.sku) || view.product.aliases.some((a) => e.skus.includes(a))),
  );
  const onPushStock = async (sku: string) => {
    const r = await send({ type: "pushStock", sku });
    return r.ok ? r.data : r.error.message;
  };
  const onPromise = async (sku: string, qty: string) => {
    const r = await send({ type: "promise", sku, qty });
    return r.ok ? r.data : r.error.message;
  };
  const { data, at, error, live } = answer.value;
  if (!data || at === undefined) return error ? <Notice error={error} onRetry={() => void reload()} /> : <Notice loading />;
  return (
    <ProductPanel
      onPushStock={onPushStock}
      onPromise={onPromise}
      product={data.product}
      platform={props.platform}
      {...(data.erp ? { erp: data.erp } : {})}
      {...(data.forecast ? { extra: <ForecastSection forecast={data.forecast} /> } : {})}
      {...(props.platformStock !== undefined ? { platformStock: props.platformStock } : {})}
      {...(props.platformPrice !== undefined ? { platformPrice: props.platformPrice } : {})}
      footer={<Freshness at={at} {...(error ? { error } : {})} {...(live ? { live } : {})} onRetry={() => void reload()} />}
    />
  );
}

/** An order page's panel, kept current: re-read when the edge says the order (its status or a delivery) changed. */
export function LiveOrder(props: { query: OrderQuery; feed: LiveFeed }) {
  const { answer, reload } = useLiveAnswer(
    () => send({ type: "order", query: props.query }),
    props.feed,
    (e, view) => e.type === "orders" && e.orderRefs.includes(view.order.orderRef),
  );
  const onReplay = async (deliveryId: string) => {
    const r = await send({ type: "replay", deliveryId });
    return r.ok ? undefined : r.error.message;
  };
  const { data, at, error, live } = answer.value;
  if (!data || at === undefined) return error ? <Notice error={error} onRetry={() => void reload()} /> : <Notice loading />;
  return (
    <OrderPanel
      view={data}
      onReplay={onReplay}
      footer={<Freshness at={at} {...(error ? { error } : {})} {...(live ? { live } : {})} onRetry={() => void reload()} />}
    />
  );
}
