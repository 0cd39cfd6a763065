import { describe, expect, it } from "vitest";
import { handleMessage } from "../../extension/lib/background/handle";
import { trackingHref } from "../../extension/lib/ui/format";
import { handlerDeps, json } from "./extension-fixtures";

/** The extension's side of issue 10: scoped keys, the audit summary, and links only to http(s). */

const OPTIONS_PAGE = { url: "chrome-extension://x/options.html", fromExtensionPage: true };

describe("extension and scoped staff keys", () => {
  it("shows the shop's recent changes from the staff audit summary", async () => {
    const summary = {
      entries: [{ at: "2026-11-29T10:00:00.000Z", actorName: "Cleo (IT)", action: "connector.changed", target: "connector/erp", fields: ["url"] }],
    };
    const edge: typeof fetch = async (input) =>
      new URL(String(input)).pathname === "/v1/staff/acme/audit" ? json(200, summary) : json(404, { error: { code: "not_found", message: "no" } });
    expect(await handleMessage({ type: "audit", shop: "s1" }, OPTIONS_PAGE, handlerDeps(edge))).toEqual({ ok: true, data: summary });
  });

  it("says which scope a key lacks instead of a generic edge error", async () => {
    const edge: typeof fetch = async () => json(403, { error: { code: "forbidden_scope", message: 'This staff key lacks the "operate" scope' } });
    const res = await handleMessage({ type: "syncHealth", shop: "s1" }, OPTIONS_PAGE, handlerDeps(edge));
    expect(res).toEqual({ ok: false, error: { code: "forbidden", message: 'This staff key lacks the "operate" scope' } });
  });

  it.each([
    ["https://track.example/T?n=1", "https://track.example/T?n=1"],
    ["HTTP://Track.Example/x", "http://track.example/x"],
    ["javascript:alert(1)", undefined],
    ["JavaScript:alert(1)", undefined],
    ["data:text/html,<script>x()</script>", undefined],
    ["not a url", undefined],
  ])("links a tracking URL %s only when it is http(s)", (url, href) => {
    expect(trackingHref(url)).toBe(href);
  });
});
