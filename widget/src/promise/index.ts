import { cartView } from "../cart/box";
import { productPromise } from "./product";

/**
 * The promise chunk (widget-promise-<hash>.js, issue 12): the dated promise for the product page's
 * quantity and the cart page's promise per line. Loaded by the lazy chunk on first need (../more/
 * promise-loader.ts) and rendered through the page's one Preact, like the account chunk.
 */
export const chunk = { productPromise, cartView };
export type PromiseChunk = typeof chunk;

const host: unknown = Reflect.get(window, "__backroomPromise");
const done: unknown = typeof host === "object" && host !== null ? Reflect.get(host, "done") : undefined;
if (typeof done === "function") done(chunk);
