/** The account view's own rules, in a <style> it renders into the widget's shadow root. */
export const ACCOUNT_CSS = `.a{height:auto;display:block}
.a dl{display:grid;grid-template-columns:auto auto;gap:.1rem 1rem;margin:.25rem 0 .5rem}.a dd{margin:0;text-align:right;font-variant-numeric:tabular-nums}
[role=tablist]{display:flex;gap:.25rem;border-bottom:1px solid var(--backroom-border,#d0d5dd);margin:.5rem 0}
[role=tab]{font:inherit;background:none;border:0;border-bottom:2px solid transparent;padding:.3rem .6rem;cursor:pointer}
[role=tab][aria-selected=true]{border-bottom-color:var(--backroom-accent,#175cd3);font-weight:600}
[role=tab]:focus-visible,.a button:focus-visible,.a a:focus-visible{outline:2px solid var(--backroom-accent,#175cd3);outline-offset:2px}
.a ul{list-style:none;margin:0;padding:0}.a li{padding:.35rem 0;border-bottom:1px solid var(--backroom-border,#eaecf0)}
.a .m{color:var(--backroom-muted,#667085);font-size:.85em}.a .late{color:#b42318}
.a button.s{font:inherit;font-size:.85em;margin:.2rem .4rem 0 0;padding:.15rem .5rem;border:1px solid var(--backroom-border,#d0d5dd);border-radius:.25rem;background:#fff;cursor:pointer}
.a form label{display:block;margin:.2rem 0}.a input,.a textarea{font:inherit;padding:.2rem;border:1px solid var(--backroom-border,#d0d5dd);border-radius:.25rem}
.a input[type=number]{width:4.5rem}.a textarea{width:100%;box-sizing:border-box}
.a li li{border:0;padding:.1rem 0}`;
