import { app } from "./app";

export { ShopHub } from "./hub/shop-hub";

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
