/**
 * The panel's CSS, applied inside its shadow root. Each admin's look comes from `:host` variables
 * chosen by the host's `data-platform`: Shopify Polaris tokens (13px/20px Inter, 12px cards, #303030
 * text), WordPress admin (13px system font, square postboxes, #2271b1), BigCommerce (#3c64f4, 4px
 * radius) and Magento's admin (#eb5202 accents, square boxes). Every text/background pair meets
 * WCAG AA (4.5:1) at its size; focus is always visible.
 */
export const PANEL_CSS = `
:host { --br-font: 13px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; --br-bg: #fff; --br-fg: #1a1a1a; --br-muted: #5c5c5c;
  --br-line: #e3e3e3; --br-accent: #1f5199; --br-accent-bg: #eef3fb; --br-warn-bg: #fff4e5; --br-warn: #7a4200; --br-bad: #a1221b; --br-bad-bg: #fdecea;
  --br-good: #0a6b37; --br-good-bg: #e6f4ec; --br-radius: 10px; --br-shadow: 0 1px 2px rgba(0,0,0,.06); --br-focus: #005bd3; --br-gap: 12px;
  display: block; max-width: 100%; min-width: 0; }
:host([data-platform="shopify"]) { --br-font: 13px/20px Inter, -apple-system, BlinkMacSystemFont, "San Francisco", "Segoe UI", Roboto, sans-serif;
  --br-fg: #303030; --br-muted: #616161; --br-line: #ebebeb; --br-radius: 12px; --br-shadow: 0 1px 0 rgba(26,26,26,.07), inset 0 1px 0 #fff, 0 0 0 1px rgba(0,0,0,.08);
  --br-accent: #005bd3; --br-accent-bg: #eaf4ff; --br-focus: #005bd3; --br-gap: 16px; }
:host([data-platform="woocommerce"]) { --br-font: 13px/1.4em -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, Oxygen-Sans, Ubuntu, Cantarell, "Helvetica Neue", sans-serif;
  --br-fg: #1d2327; --br-muted: #50575e; --br-line: #c3c4c7; --br-radius: 0; --br-shadow: 0 1px 1px rgba(0,0,0,.04); --br-accent: #135e96; --br-accent-bg: #f0f6fc; --br-focus: #2271b1; --br-gap: 12px; }
:host([data-platform="bigcommerce"]) { --br-font: 14px/1.5 "Source Sans Pro", -apple-system, "Segoe UI", sans-serif; --br-fg: #313440; --br-muted: #5e637a;
  --br-line: #d9dce9; --br-radius: 4px; --br-accent: #2b4ed8; --br-accent-bg: #f0f3ff; --br-focus: #3c64f4; }
:host([data-platform="magento"]) { --br-font: 13px/1.36 "Open Sans", "Helvetica Neue", Helvetica, Arial, sans-serif; --br-fg: #303030; --br-muted: #5c5c5c;
  --br-line: #adadad; --br-radius: 0; --br-shadow: none; --br-accent: #006bb4; --br-accent-bg: #eef5fb; --br-focus: #006bb4; }
* { box-sizing: border-box; }
.panel { font: var(--br-font); color: var(--br-fg); background: var(--br-bg); border: 1px solid var(--br-line); border-radius: var(--br-radius);
  padding: 12px; margin: 0 0 var(--br-gap); box-shadow: var(--br-shadow); max-width: 100%; overflow-wrap: anywhere; }
.head { display: flex; flex-wrap: wrap; gap: 4px 8px; align-items: baseline; margin: 0 0 8px; }
.head h2 { font-size: 1em; font-weight: 650; margin: 0; }
.head small { color: var(--br-muted); }
h3 { font-size: 12px; font-weight: 600; color: var(--br-muted); margin: 10px 0 4px; }
.summary { display: grid; grid-template-columns: repeat(auto-fit, minmax(110px, 1fr)); gap: 4px 8px; margin: 0 0 6px; }
.summary > div { min-width: 0; }
.summary dt { font-size: 12px; color: var(--br-muted); }
.summary dd { margin: 0; font-weight: 600; font-variant-numeric: tabular-nums; }
.summary dd small { display: block; font-weight: normal; color: var(--br-muted); font-size: 12px; }
.summary .big { font-size: 1.4em; line-height: 1.2; }
details { border-top: 1px solid var(--br-line); padding: 3px 0 0; margin: 3px 0 0; }
summary { cursor: pointer; font-weight: 600; padding: 1px 0; border-radius: 4px; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; margin: 4px 0; }
th, td { text-align: right; padding: 3px 4px; border-bottom: 1px solid var(--br-line); font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
th:first-child, td:first-child { text-align: left; width: 32%; }
th { font-weight: 600; color: var(--br-muted); font-size: 12px; }
table.stock th, table.stock td { padding: 3px 2px; }
table.stock th:first-child, table.stock td:first-child { width: 22%; }
table.stock .used { font-weight: 700; }
tfoot td, tfoot th { font-weight: 600; border-bottom: 0; color: var(--br-fg); font-size: inherit; }
.kv { display: grid; grid-template-columns: minmax(0, auto) minmax(0, 1fr); gap: 2px 12px; margin: 4px 0; }
.kv dt { color: var(--br-muted); }
.kv dd { margin: 0; font-variant-numeric: tabular-nums; }
.warn { background: var(--br-warn-bg); color: var(--br-warn); border-radius: 6px; padding: 4px 8px; margin: 6px 0; }
.warn button.inline { font-size: 12px; line-height: 18px; padding: 0; border: 0; background: none; color: var(--br-warn); font-weight: 600; text-decoration: underline; }
.bad { background: var(--br-bad-bg); color: var(--br-bad); border-radius: 6px; padding: 4px 8px; margin: 6px 0; }
.error { color: var(--br-bad); }
.muted { color: var(--br-muted); }
.fresh { display: flex; flex-wrap: wrap; gap: 2px 6px; align-items: center; font-size: 12px; color: var(--br-muted); margin: 6px 0 0; }
.status { display: inline-block; border-radius: 10px; padding: 0 8px; background: var(--br-accent-bg); color: var(--br-accent); font-weight: 600; }
ol, ul { margin: 0; padding-left: 18px; }
button { font: inherit; color: var(--br-fg); border: 1px solid #8a8a8a; border-radius: 6px; background: #f6f6f7; padding: 2px 10px; cursor: pointer; }
button:disabled { color: #4a4a4a; background: #ebebeb; border-color: #b5b5b5; cursor: default; }
a { color: var(--br-accent); }
:focus-visible, summary:focus-visible { outline: 2px solid var(--br-focus); outline-offset: 2px; }
.badge { font: 600 11px/1.6 system-ui, sans-serif; border-radius: 9px; padding: 0 7px; margin-left: 6px; white-space: nowrap; background: var(--br-accent-bg); color: var(--br-accent); }
.status.out_of_stock, .status.failed, .status.cancelled, .badge.out_of_stock, .badge.failed, .badge.cancelled { background: var(--br-bad-bg); color: var(--br-bad); }
.status.low_stock, .status.backorder, .status.retrying, .badge.low_stock, .badge.backorder, .badge.retrying, .badge.mismatch { background: var(--br-warn-bg); color: var(--br-warn); }
.status.in_stock, .status.delivered, .status.shipped, .badge.in_stock, .badge.delivered, .badge.shipped { background: var(--br-good-bg); color: var(--br-good); }
`;
