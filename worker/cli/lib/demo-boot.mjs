import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { demoTokens, seedDemo } from "../seed.mjs";
import { ROOT } from "./local-edge.mjs";

/**
 * The demo storefront reads its signed-in buyers' tokens from a file among the served assets.
 * `wrangler dev` watches that directory and reloads the whole runtime when a file in it changes:
 * the local queue lives in that runtime's memory, so a reload drops every queue message not yet
 * consumed (the webhooks that arrived just before stay in the inbox until a sweep), and requests
 * during it get 503. So the tokens are written while nothing can be in flight: before the edge
 * starts when the demo shop's secret is already known, else right after the shop is created and
 * before anything is seeded, waiting until the edge serves them (the reload is over).
 */
export const DEMO_TOKENS_FILE = join(ROOT, "widget/dist/demo/demo-tokens.json");
const DEMO_TOKENS_PATH = "/demo/demo-tokens.json";

function writeTokens(tokensFile, customerSecret) {
  const text = `${JSON.stringify({ customers: demoTokens(customerSecret) }, null, 2)}\n`;
  mkdirSync(dirname(tokensFile), { recursive: true });
  writeFileSync(tokensFile, text);
  return text;
}

/**
 * Before the edge starts: writes the tokens for the demo shop's saved secret, if there is one.
 * Answers the customer secret they were written for (pass it to `bootDemo`).
 */
export function writeTokensBeforeStart(credsFile, tokensFile = DEMO_TOKENS_FILE) {
  if (!existsSync(credsFile)) return undefined;
  const { customerSecret } = JSON.parse(readFileSync(credsFile, "utf8"));
  if (typeof customerSecret !== "string") return undefined;
  writeTokens(tokensFile, customerSecret);
  return customerSecret;
}

async function waitUntilServed(edgeUrl, text, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(`${edgeUrl}${DEMO_TOKENS_PATH}`, { cache: "no-store" });
      if (res.ok && (await res.text()) === text) return;
    } catch {
      // Reloading.
    }
    if (Date.now() > deadline) throw new Error(`the edge did not serve the new ${DEMO_TOKENS_PATH} within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * What `npm start` does once the edge answers: creates (or reuses) the demo shop, makes sure the
 * demo storefront's tokens fit its secret (see above), then seeds it through the signed ERP API.
 */
export async function bootDemo(edgeUrl, adminToken, { credsFile, origins = [], tokensFile = DEMO_TOKENS_FILE, tokensWrittenFor = undefined }) {
  return seedDemo(edgeUrl, adminToken, {
    credsFile,
    origins,
    onShop: async (creds) => {
      if (creds.customerSecret === tokensWrittenFor) return;
      await waitUntilServed(edgeUrl, writeTokens(tokensFile, creds.customerSecret));
    },
  });
}
