/**
 * The widget's only stylesheet, inside its shadow roots: the page's CSS cannot reach in, ours
 * cannot leak out. Themes set the `--backroom-*` custom properties on any ancestor. The host has
 * inline-size containment: its text never widens the page's columns (flex items, grid tracks). Each box has a
 * fixed height (reserve the same on the placeholder) so filling it in, or opening its warehouse list, never moves the page.
 */
/** The lazy chunk's views bring their own rules (../more/styles.ts). */
export const CSS = `:host{display:block;contain:inline-size layout;font:var(--backroom-font,inherit);color:var(--backroom-color,inherit)}
.b{box-sizing:border-box;height:var(--backroom-height,7.5rem);overflow:hidden;padding:.5rem .75rem;border:1px solid var(--backroom-border,#d0d5dd);border-radius:var(--backroom-radius,.5rem);background:var(--backroom-bg,transparent);line-height:1.4}
.open{display:flex;flex-direction:column}.open ul{flex:1;min-height:0;overflow:auto}
.b:not(.t) div,.b>button{display:block;max-width:100%;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.s{font-weight:600}.s:before{content:"";display:inline-block;width:.6em;height:.6em;border-radius:50%;margin-right:.4em;background:var(--c)}
.in_stock{--c:var(--backroom-ok,#12805c)}.low_stock{--c:var(--backroom-warn,#b25e09)}.out_of_stock{--c:var(--backroom-bad,#b42318)}.backorder{--c:var(--backroom-info,#175cd3)}
.m{font-size:.85em;opacity:.75}
button{font:inherit;color:var(--backroom-accent,#175cd3);background:none;border:0;padding:0;cursor:pointer;text-decoration:underline}
ul{margin:.25rem 0;padding-left:1.2rem}`;
