import { signedHeaders } from "../lib/standard-webhooks.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Sends one signed ERP push, retrying 429, 5xx and network faults with the same `webhook-id` (so
 * the edge applies it once however often it arrives). Answers `{ status: 200 | 422, body }`;
 * throws on answers no retry can fix (401, 404, 400, 413).
 */
export async function sendPush({ edge, shop, secret, resource, body, id, attempts = 6 }) {
  const url = `${edge.replace(/\/$/, "")}/v1/erp/${encodeURIComponent(shop)}/${resource}`;
  const text = JSON.stringify(body);
  let last;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let res;
    try {
      res = await fetch(url, { method: "POST", headers: { ...signedHeaders(secret, text, id), "content-type": "application/json" }, body: text });
    } catch (e) {
      last = e;
      await sleep(Math.min(8_000, 250 * 2 ** attempt));
      continue;
    }
    if (res.status === 200 || res.status === 422) return { status: res.status, body: await res.json() };
    const answer = await res.text();
    if (res.status === 429 || res.status >= 500) {
      const retryAfter = Number(res.headers.get("retry-after"));
      last = new Error(`${resource}: the edge answered ${res.status}: ${answer.slice(0, 200)}`);
      await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter, 60) * 1000 : Math.min(8_000, 250 * 2 ** attempt));
      continue;
    }
    throw new Error(`${resource}: the edge answered ${res.status}: ${answer.slice(0, 500)}`);
  }
  throw last ?? new Error(`${resource}: no answer`);
}
