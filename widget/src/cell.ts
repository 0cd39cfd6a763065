/** A value whose every change re-renders the widget's boxes. */
export interface Cell<T> {
  value: T;
}

/**
 * Makes cells that call `changed` whenever one of them takes a new value. This is all the
 * reactivity the widget needs: a few small boxes, re-rendered (and diffed by Preact) on change.
 * `@preact/signals-core` would do the same with dependency tracking for ~1.5 KB gzip more.
 *
 * @example
 * const cell = cells(() => renderAll());
 * const count = cell(0);
 * count.value++; // renderAll() runs
 */
export function cells(changed: () => void): <T>(initial: T) => Cell<T> {
  return <T>(initial: T): Cell<T> => {
    let v = initial;
    return {
      get value() {
        return v;
      },
      set value(next: T) {
        if (Object.is(next, v)) return;
        v = next;
        changed();
      },
    };
  };
}
