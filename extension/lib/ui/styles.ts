/** The panel's CSS, applied inside its shadow root; colours are `:host` variables a stylesheet could override. */
export const PANEL_CSS = `
:host { --br-bg: #fff; --br-fg: #1a1a1a; --br-muted: #616161; --br-line: #e3e3e3; --br-accent: #2c6ecb; --br-warn-bg: #fff4e5; --br-warn: #8a4b00; --br-bad: #b3261e; --br-good: #0b7a3e; }
.panel { font: 13px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--br-fg); background: var(--br-bg); border: 1px solid var(--br-line); border-radius: 10px; padding: 12px 14px; margin: 0 0 16px; box-shadow: 0 1px 2px rgba(0,0,0,.06); }
.panel h2 { font-size: 14px; margin: 0 0 8px; display: flex; gap: 8px; align-items: baseline; }
.panel h2 small { color: var(--br-muted); font-weight: normal; }
.panel h3 { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--br-muted); margin: 12px 0 4px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: right; padding: 3px 6px; border-bottom: 1px solid var(--br-line); font-variant-numeric: tabular-nums; }
th:first-child, td:first-child { text-align: left; }
th { font-weight: 600; color: var(--br-muted); font-size: 12px; }
tfoot td { font-weight: 600; border-bottom: 0; }
.kv { display: grid; grid-template-columns: auto 1fr; gap: 2px 12px; }
.kv dt { color: var(--br-muted); }
.kv dd { margin: 0; font-variant-numeric: tabular-nums; }
.warn { background: var(--br-warn-bg); color: var(--br-warn); border-radius: 6px; padding: 6px 8px; margin: 8px 0; }
.error { color: var(--br-bad); }
.muted { color: var(--br-muted); }
.status { display: inline-block; border-radius: 10px; padding: 0 8px; background: #eef3fb; color: var(--br-accent); font-weight: 600; }
ol.timeline { margin: 0; padding-left: 18px; }
button { font: inherit; border: 1px solid var(--br-line); border-radius: 6px; background: #f6f6f7; padding: 2px 10px; cursor: pointer; }
a { color: var(--br-accent); }
.badge { font: 600 11px/1.6 system-ui, sans-serif; border-radius: 9px; padding: 0 7px; margin-left: 6px; white-space: nowrap; background: #eef3fb; color: var(--br-accent); }
.badge.out_of_stock, .badge.failed, .badge.cancelled { background: #fdecea; color: var(--br-bad); }
.badge.low_stock, .badge.backorder { background: var(--br-warn-bg); color: var(--br-warn); }
.badge.in_stock, .badge.delivered, .badge.shipped { background: #e6f4ec; color: var(--br-good); }
`;
