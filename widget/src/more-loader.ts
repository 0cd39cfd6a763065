import { jsx, jsxs } from "preact/jsx-runtime";
import type { More } from "./more";

declare const __BACKROOM_MORE__: string | undefined;

/** The lazy chunk's file name beside widget.js (content-hashed by the build). */
const FILE = typeof __BACKROOM_MORE__ === "string" ? __BACKROOM_MORE__ : "widget-more.js";

/**
 * Loads the lazy chunk once per page (every mount shares it): a classic script from the edge that
 * takes Preact's JSX runtime (jsx, jsxs: the chunk uses no fragments) from `window.__backroomMore.rt` and hands its views back through
 * `done`. Undefined when it cannot be loaded: what needs it then stays empty.
 */
export function loadMore(edge: string): Promise<More | undefined> {
  const promise: unknown = Reflect.get(Object(Reflect.get(window, "__backroomMore")), "p");
  if (promise instanceof Promise) return promise;
  let done: (more?: More) => void = () => {};
  const loading = new Promise<More | undefined>((resolve) => {
    done = resolve;
  });
  Reflect.set(window, "__backroomMore", { rt: { jsx, jsxs }, done, p: loading });
  const script = document.createElement("script");
  script.src = `${edge}/${FILE}`;
  script.onerror = () => done();
  document.head.append(script);
  return loading;
}
