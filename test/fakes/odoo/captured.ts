/// <reference types="vite/client" />

/** The real request/response pairs captured from Odoo 16, 17 and 18 (test/fixtures/erp/odoo-captured). */
export interface Captured {
  file: string;
  version: 16 | 17 | 18;
  http_status: number | null;
  request: { params: { service: string; method: string; args: unknown[] } };
  response: { jsonrpc: "2.0"; id: number; result?: unknown; error?: { code: number; message: string; data: Record<string, unknown> } };
}

const files = import.meta.glob<{ default: Omit<Captured, "file" | "version"> }>("../../fixtures/erp/odoo-captured/*/*.json", { eager: true });

export const CAPTURED: Captured[] = Object.entries(files)
  .map(([path, mod]) => {
    const m = /odoo-captured\/(\d+)\/([^/]+)\.json$/.exec(path);
    const version = Number(m?.[1]);
    if (version !== 16 && version !== 17 && version !== 18) throw new Error(`unexpected fixture ${path}`);
    const captured: Captured = { ...mod.default, file: m?.[2] ?? path, version };
    return captured;
  })
  .sort((a, b) => a.version - b.version || a.file.localeCompare(b.file));

export const capturedFor = (version: 16 | 17 | 18): Captured[] => CAPTURED.filter((c) => c.version === version);
