/** The lazy chunk's own rules, in a <style> its views render into the widget's shadow root (beside ../view/styles.ts). */
export const MORE_CSS = `.p{height:var(--backroom-price-height,5.5rem)}
.t{height:auto;min-height:var(--backroom-tracking-height,18rem)}
ol{margin:.25rem 0;padding-left:1.2rem}
input{font:inherit;padding:.25rem;margin:0 .5rem .5rem 0;border:1px solid var(--backroom-border,#d0d5dd);border-radius:.25rem}
form button{color:#fff;background:var(--backroom-accent,#175cd3);padding:.3rem .8rem;border-radius:.25rem;text-decoration:none}
label{display:inline-block}
a{color:var(--backroom-accent,#175cd3)}
.n{flex:1;min-height:0;overflow:auto}.n label{display:block;font-size:.85em}.n input[type=email]{width:12rem;max-width:60%}`;
