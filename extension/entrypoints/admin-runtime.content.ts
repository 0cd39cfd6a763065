import { defineContentScript } from "wxt/utils/define-content-script";
import { runAdmin } from "../lib/content/run";

/** Self-hosted admins (WooCommerce, Magento): registered by the background for the origins staff granted. */
export default defineContentScript({
  registration: "runtime",
  matches: [],
  main: runAdmin,
});
