/**
 * Loads one of the chunks the lazy chunk itself loads (`widget-promise-<hash>.js`, `widget-account-<hash>.js`), once
 * per page: a classic script beside widget.js that renders through the page's one Preact (the JSX
 * runtime on `window.__backroomMore.rt`) and hands its exports to `window[global].done`. Undefined
 * when it cannot be loaded.
 */
export function loadChunk<T>(edge: string, file: string, global: string): Promise<T | undefined> {
  const promise: unknown = Reflect.get(Object(Reflect.get(window, global)), "p");
  if (promise instanceof Promise) return promise;
  let done: (chunk: T | undefined) => void = () => {};
  const loading = new Promise<T | undefined>((resolve) => {
    done = resolve;
  });
  Reflect.set(window, global, { done, p: loading });
  const script = document.createElement("script");
  script.src = `${edge}/${file}`;
  script.onerror = () => done(undefined);
  document.head.append(script);
  return loading;
}
