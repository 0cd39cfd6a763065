import { defineContentScript } from "wxt/utils/define-content-script";
import { runAdmin } from "../lib/content/run";
import { STATIC_ADMIN_MATCHES } from "../lib/settings";

/** The hosted admins (Shopify, BigCommerce): declared in the manifest. */
export default defineContentScript({
  matches: STATIC_ADMIN_MATCHES,
  runAt: "document_idle",
  main: runAdmin,
});
