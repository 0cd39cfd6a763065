import type { VNode } from "preact";
import type { AvailabilityItem } from "../api";
import type { Fmt } from "../format";

export interface AvailabilityProps {
  item: AvailabilityItem | undefined;
  fmt: Fmt;
  now: number;
  open: boolean;
  toggle: () => void;
  /** Shown under a closed box: the notify-me button of the lazy chunk, or nothing. */
  extra?: VNode | null;
}

/** Status badge, next arrival, per-warehouse list (collapsible) and how fresh the numbers are. */
export function AvailabilityView({ item, fmt, now, open, toggle, extra }: AvailabilityProps) {
  const { t, qty } = fmt;
  // Open, the warehouse list takes the box's place inside the same fixed height (scrolling if
  // long): the box never changes size, so toggling it moves nothing on the page, whenever the
  // browser gets to paint it.
  return (
    <div class={open ? "b open" : "b"} data-sku={item?.sku}>
      {item && (
        <>
          <div aria-live="polite" aria-atomic="true" hidden={open}>
            <span class={`s ${item.status}`} data-status={item.status}>
              {t(item.status, qty(item.available))}
            </span>
            {item.nextArrival && <div data-arrival>{t("arrival", qty(item.nextArrival.qty), fmt.day(item.nextArrival.eta))}</div>}
          </div>
          {item.warehouses.length > 0 && (
            <button type="button" aria-expanded={open} onClick={toggle}>
              {t("warehouses")}
            </button>
          )}
          {open && (
            <ul>
              {item.warehouses.map((w) => (
                <li key={w.code} data-warehouse={w.code}>
                  {w.name}: {qty(w.available)}
                </li>
              ))}
            </ul>
          )}
          {!open && Date.parse(item.updatedAt) > 0 && <div class="m">{t("updated", "", fmt.ago(item.updatedAt, now))}</div>}
          {!open && extra}
        </>
      )}
    </div>
  );
}
