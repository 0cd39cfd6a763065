import { extraBox, priceBox, trackingBox } from "./boxes";

/**
 * The lazily loaded part of the widget (widget-more-<hash>.js): what most product pages never
 * show (the B2B price, order tracking, the back-in-stock form, the dated promise for a quantity, and,
 * through a chunk of its own, the cart's promise). The main script loads it on first
 * need and hands it Preact's JSX runtime, so both render through one Preact (see ../more-loader.ts).
 */
export const more = { extraBox, trackingBox, priceBox };
export type More = typeof more;

const host: unknown = Reflect.get(window, "__backroomMore");
const done: unknown = typeof host === "object" && host !== null ? Reflect.get(host, "done") : undefined;
if (typeof done === "function") done(more);
