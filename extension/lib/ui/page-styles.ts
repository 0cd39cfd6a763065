/** Styles of the extension's own pages (options, popup). */
export const PAGE_CSS = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1a1a1a; margin: 0; padding: 16px; }
h1 { font-size: 18px; margin: 0 0 12px; }
h2 { font-size: 15px; margin: 16px 0 8px; }
fieldset { border: 1px solid #e3e3e3; border-radius: 8px; margin: 0 0 12px; padding: 10px 12px; }
label { display: grid; gap: 2px; margin: 0 0 8px; font-size: 12px; color: #616161; }
input, select { font: inherit; padding: 4px 6px; border: 1px solid #c9cccf; border-radius: 6px; min-width: 320px; }
button { font: inherit; border: 1px solid #c9cccf; border-radius: 6px; background: #f6f6f7; padding: 4px 12px; cursor: pointer; margin-right: 6px; }
button.primary { background: #2c6ecb; border-color: #2c6ecb; color: #fff; }
.ok { color: #0b7a3e; }
.error { color: #b3261e; }
.muted { color: #616161; }
table { border-collapse: collapse; }
th, td { text-align: right; padding: 2px 8px; border-bottom: 1px solid #e3e3e3; font-variant-numeric: tabular-nums; }
th:first-child, td:first-child { text-align: left; }
`;
