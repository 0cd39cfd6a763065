import type { AdminPage } from "../pages";
import { type Reading, readPage } from "../readers";

export interface WaitOptions {
  /** How long a partial reading (e.g. no SKU field yet) may still improve before it is used. */
  settleMs?: number;
  /** Give up after this long (a page that never renders what we read). */
  timeoutMs?: number;
}

/**
 * Reads the page now, and again on each DOM mutation until the reading is complete: SPA admins
 * render their forms after the URL changes. Event-driven (MutationObserver), never polling.
 */
export function waitForReading(page: AdminPage, href: string, doc: Document, signal: AbortSignal, opts: WaitOptions = {}): Promise<Reading | undefined> {
  const { settleMs = 1500, timeoutMs = 10_000 } = opts;
  return new Promise((resolve) => {
    let best: Reading | undefined;
    let settle: ReturnType<typeof setTimeout> | undefined;
    const observer = new MutationObserver(() => check());
    const done = (r: Reading | undefined) => {
      observer.disconnect();
      clearTimeout(settle);
      clearTimeout(timeout);
      signal.removeEventListener("abort", abort);
      resolve(signal.aborted ? undefined : r);
    };
    const abort = () => done(undefined);
    const check = () => {
      const r = readPage(page, doc, href);
      if (!r) return;
      best = r;
      if (r.complete) done(r);
      else settle ??= setTimeout(() => done(best), settleMs);
    };
    const timeout = setTimeout(() => done(best), timeoutMs);
    signal.addEventListener("abort", abort);
    observer.observe(doc.documentElement, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ["value", "class"] });
    check();
  });
}
