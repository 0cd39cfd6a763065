/** Styles of the extension's own pages (options, popup). Text/background pairs meet WCAG AA; focus is always visible. */
export const PAGE_CSS = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1a1a1a; margin: 0; padding: 16px; }
* { box-sizing: border-box; }
h1 { font-size: 18px; margin: 0 0 12px; }
h2 { font-size: 15px; margin: 16px 0 8px; }
fieldset { border: 1px solid #d4d4d4; border-radius: 8px; margin: 0 0 12px; padding: 10px 12px; }
legend { font-weight: 600; padding: 0 4px; }
label { display: grid; gap: 2px; margin: 0 0 8px; font-size: 12px; color: #4a4a4a; }
input, select, textarea { font: inherit; color: #1a1a1a; padding: 4px 6px; border: 1px solid #8a8a8a; border-radius: 6px; min-width: 0; width: 100%; max-width: 480px; }
button { font: inherit; color: #1a1a1a; border: 1px solid #8a8a8a; border-radius: 6px; background: #f6f6f7; padding: 4px 12px; cursor: pointer; margin: 0 6px 4px 0; }
button.primary { background: #1f5199; border-color: #1f5199; color: #fff; }
button.danger { background: #a1221b; border-color: #a1221b; color: #fff; }
button:disabled { color: #4a4a4a; background: #ebebeb; border-color: #b5b5b5; }
:focus-visible { outline: 2px solid #005bd3; outline-offset: 2px; }
.row { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
.row input { flex: 1 1 160px; }
.ok { color: #0a6b37; }
.warn { color: #7a4200; }
.error { color: #a1221b; }
.muted { color: #5c5c5c; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: right; padding: 2px 8px; border-bottom: 1px solid #d4d4d4; font-variant-numeric: tabular-nums; vertical-align: top; }
th:first-child, td:first-child { text-align: left; }
th[scope="row"] { font-weight: normal; }
ul.failures { padding-left: 0; list-style: none; margin: 0 0 8px; }
ul.failures li { padding: 4px 0; border-bottom: 1px solid #e3e3e3; }
a { color: #1f5199; }
.badge { font: 600 11px/1.6 system-ui, sans-serif; border-radius: 9px; padding: 0 7px; white-space: nowrap; background: #eef3fb; color: #1f5199; }
.badge.failed { background: #fdecea; color: #a1221b; }
.badge.retrying { background: #fff4e5; color: #7a4200; }
.live { font-size: 12px; font-weight: 600; border-radius: 9px; padding: 0 8px; background: #eef3fb; color: #1f5199; }
.live.live { background: #e6f4ec; color: #0a6b37; }
.live.offline, .live.unauthorized, .live.wrong_url, .live.no_permission { background: #fdecea; color: #a1221b; }
`;
