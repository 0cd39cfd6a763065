import type { signal as Signal } from "@preact/signals-core";
import type { VNode } from "preact";
import type { AccountChunk } from "../account";
import type { Fmt } from "../format";

declare const __BACKROOM_ACCOUNT__: string | undefined;

/** The account chunk's file name beside widget.js (content-hashed by the build). */
const FILE = typeof __BACKROOM_ACCOUNT__ === "string" ? __BACKROOM_ACCOUNT__ : "widget-account.js";

/**
 * Loads the account chunk once per page: a classic script that renders through the page's one
 * Preact (the JSX runtime the main script put on `window.__backroomMore.rt`) and hands its factory
 * back through `window.__backroomAccount.done`. Undefined when it cannot be loaded.
 */
function loadAccount(edge: string): Promise<AccountChunk | undefined> {
  const promise: unknown = Reflect.get(Object(Reflect.get(window, "__backroomAccount")), "p");
  if (promise instanceof Promise) return promise;
  let done: (chunk: AccountChunk | undefined) => void = () => {};
  const loading = new Promise<AccountChunk | undefined>((resolve) => {
    done = resolve;
  });
  Reflect.set(window, "__backroomAccount", { done, p: loading });
  const script = document.createElement("script");
  script.src = `${edge}/${FILE}`;
  script.onerror = () => done(undefined);
  document.head.append(script);
  return loading;
}

/** The account box of one `data-backroom="account"` placeholder: empty until its chunk is in. */
export function accountBox(fmt: Fmt, base: string, abort: AbortSignal, signal: typeof Signal, slot: HTMLElement): () => VNode | null {
  const view = signal<(() => VNode | null) | undefined>(undefined);
  loadAccount(new URL(base).origin).then((chunk) => {
    if (chunk && !abort.aborted) view.value = chunk.accountView(fmt, base, abort, signal, slot);
  });
  return () => view.value?.() ?? null;
}
