import type { signal as Signal } from "@preact/signals-core";
import type { VNode } from "preact";
import type { AccountChunk } from "../account";
import type { Fmt } from "../format";
import { loadChunk } from "./chunk-loader";

declare const __BACKROOM_ACCOUNT__: string | undefined;

/** The account chunk's file name beside widget.js (content-hashed by the build). */
const FILE = typeof __BACKROOM_ACCOUNT__ === "string" ? __BACKROOM_ACCOUNT__ : "widget-account.js";

/** The account chunk, once per page (see ./chunk-loader.ts): it hands its factory back through `window.__backroomAccount.done`. */
const loadAccount = (edge: string): Promise<AccountChunk | undefined> => loadChunk<AccountChunk>(edge, FILE, "__backroomAccount");

/** The account box of one `data-backroom="account"` placeholder: empty until its chunk is in. */
export function accountBox(fmt: Fmt, base: string, abort: AbortSignal, signal: typeof Signal, slot: HTMLElement): () => VNode | null {
  const view = signal<(() => VNode | null) | undefined>(undefined);
  loadAccount(new URL(base).origin).then((chunk) => {
    if (chunk && !abort.aborted) view.value = chunk.accountView(fmt, base, abort, signal, slot);
  });
  return () => view.value?.() ?? null;
}
