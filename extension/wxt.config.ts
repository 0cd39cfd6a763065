import { fileURLToPath } from "node:url";
import { defineConfig } from "wxt";

/**
 * Backroom staff extension. Host permissions stay minimal: the hosted admins (Shopify, BigCommerce)
 * are static; self-hosted admins (WooCommerce, Magento) and the edge's own origin are optional
 * permissions the options page requests at runtime. Loopback is allowed statically so a local
 * edge (`npm start`) works without a prompt.
 */
export default defineConfig({
  manifestVersion: 3,
  zip: {
    artifactTemplate: "backroom-staff-{{version}}-{{browser}}.zip",
    sourcesTemplate: "backroom-staff-{{version}}-sources.zip",
    // Firefox reviewers get what builds it: the extension and the API contract it imports.
    sourcesRoot: fileURLToPath(new URL("..", import.meta.url)),
    includeSources: ["extension/**", "worker/contract/**", "package.json", "package-lock.json"],
    excludeSources: ["extension/.output/**", "extension/.wxt/**", "**/node_modules/**"],
  },
  manifest: {
    name: "Backroom for staff",
    version: "0.1.0",
    description: "ERP stock, cost, margin and order status inside Shopify, WooCommerce, BigCommerce and Magento admin.",
    permissions: ["storage", "scripting"],
    host_permissions: ["http://127.0.0.1/*", "http://localhost/*"],
    optional_host_permissions: ["https://*/*", "http://*/*"],
    // Firefox 128: MV3 optional host permissions and persistent registered content scripts.
    browser_specific_settings: { gecko: { id: "staff@backroom.dev", strict_min_version: "128.0" } },
  },
});
