import { describe, expect, it } from "vitest";
import { detectPage } from "../../extension/lib/pages";

describe("detectPage: Shopify admin", () => {
  it.each([
    ["https://admin.shopify.com/store/acme/products/8123456789", { platform: "shopify", kind: "product", productId: "8123456789" }],
    ["https://admin.shopify.com/store/acme/products/8123456789/", { platform: "shopify", kind: "product", productId: "8123456789" }],
    [
      "https://admin.shopify.com/store/acme/products/8123456789/variants/44123456789012",
      { platform: "shopify", kind: "product", productId: "8123456789", variantId: "44123456789012" },
    ],
    ["https://admin.shopify.com/store/acme/products/8123456789?selectedView=all", { platform: "shopify", kind: "product", productId: "8123456789" }],
    ["https://admin.shopify.com/store/acme-2/orders/5923456789012", { platform: "shopify", kind: "order", orderId: "5923456789012" }],
    ["https://admin.shopify.com/store/acme/orders", { platform: "shopify", kind: "orderList" }],
    ["https://admin.shopify.com/store/acme/orders?status=open&inContextTimeframe=none", { platform: "shopify", kind: "orderList" }],
    ["https://admin.shopify.com/store/acme/products", { platform: "shopify", kind: "productList" }],
    ["https://admin.shopify.com/store/acme/products?selectedView=all&tone=warning", { platform: "shopify", kind: "productList" }],
  ])("%s", (url, expected) => expect(detectPage(url)).toEqual(expected));

  it.each([
    "https://admin.shopify.com/store/acme/products/new",
    "https://admin.shopify.com/store/acme/products/inventory",
    "https://admin.shopify.com/store/acme/orders/drafts",
    "https://admin.shopify.com/store/acme",
    "https://admin.shopify.com/store/acme/customers/123",
    "https://acme.myshopify.com/products/tee",
    "https://example.com/store/acme/products/1",
    "chrome://extensions",
    "not a url",
  ])("ignores %s", (url) => expect(detectPage(url)).toBeUndefined());
});

describe("detectPage: WooCommerce", () => {
  it.each([
    ["https://shop.example/wp-admin/post.php?post=45&action=edit", { platform: "woocommerce", kind: "post", postId: "45" }],
    ["https://shop.example/wp-admin/post.php?action=edit&post=727", { platform: "woocommerce", kind: "post", postId: "727" }],
    ["https://example.com/shop/wp-admin/post.php?post=45&action=edit&classic-editor", { platform: "woocommerce", kind: "post", postId: "45" }],
    ["https://shop.example/wp-admin/admin.php?page=wc-orders&action=edit&id=728", { platform: "woocommerce", kind: "order", orderId: "728" }],
    ["https://shop.example/wp-admin/admin.php?page=wc-orders", { platform: "woocommerce", kind: "orderList" }],
    ["https://shop.example/wp-admin/admin.php?page=wc-orders&status=wc-processing", { platform: "woocommerce", kind: "orderList" }],
    ["https://shop.example/wp-admin/edit.php?post_type=shop_order", { platform: "woocommerce", kind: "orderList" }],
    ["https://shop.example/wp-admin/edit.php?post_type=product", { platform: "woocommerce", kind: "productList" }],
    ["https://shop.example/wp-admin/edit.php?post_type=product&product_cat=shirts&paged=2", { platform: "woocommerce", kind: "productList" }],
  ])("%s", (url, expected) => expect(detectPage(url)).toEqual(expected));

  it.each([
    "https://shop.example/wp-admin/post-new.php?post_type=product",
    "https://shop.example/wp-admin/post.php?post=45&action=trash",
    "https://shop.example/wp-admin/post.php?post=abc&action=edit",
    "https://shop.example/wp-admin/admin.php?page=wc-orders&action=new",
    "https://shop.example/wp-admin/admin.php?page=wc-settings",
    "https://shop.example/wp-admin/edit.php",
    "https://shop.example/product/tee-m/",
  ])("ignores %s", (url) => expect(detectPage(url)).toBeUndefined());
});

describe("detectPage: BigCommerce", () => {
  it.each([
    ["https://store-abc123.mybigcommerce.com/manage/products/edit/112", { platform: "bigcommerce", kind: "product", productId: "112" }],
    ["https://store-abc123.mybigcommerce.com/manage/products/112/edit", { platform: "bigcommerce", kind: "product", productId: "112" }],
    ["https://store-abc123.mybigcommerce.com/manage/orders/101", { platform: "bigcommerce", kind: "order", orderId: "101" }],
    ["https://store-abc123.mybigcommerce.com/manage/orders", { platform: "bigcommerce", kind: "orderList" }],
    ["https://store-abc123.mybigcommerce.com/manage/products?keywords=tee", { platform: "bigcommerce", kind: "productList" }],
  ])("%s", (url, expected) => expect(detectPage(url)).toEqual(expected));

  it.each(["https://store-abc123.mybigcommerce.com/manage/dashboard", "https://store-abc123.mybigcommerce.com/manage/products/add"])("ignores %s", (url) =>
    expect(detectPage(url)).toBeUndefined(),
  );
});

describe("detectPage: Magento 2", () => {
  it.each([
    ["https://shop.example/admin/catalog/product/edit/id/42/", { platform: "magento", kind: "product", productId: "42" }],
    ["https://shop.example/admin/catalog/product/edit/id/42/key/4f1c0e0b8e1f0e0b8e1f/", { platform: "magento", kind: "product", productId: "42" }],
    ["https://shop.example/admin_x7k2/catalog/product/edit/id/42/set/4/type/simple/", { platform: "magento", kind: "product", productId: "42" }],
    ["https://shop.example/admin/sales/order/view/order_id/1/", { platform: "magento", kind: "order", orderId: "1" }],
    ["https://shop.example/admin/sales/order/view/order_id/17/key/abcdef0123/", { platform: "magento", kind: "order", orderId: "17" }],
    ["https://shop.example/admin/catalog/product/", { platform: "magento", kind: "productList" }],
    ["https://shop.example/admin/sales/order/", { platform: "magento", kind: "orderList" }],
  ])("%s", (url, expected) => expect(detectPage(url)).toEqual(expected));

  it.each([
    "https://shop.example/admin/catalog/product/new/set/4/type/simple/",
    "https://shop.example/admin/sales/invoice/",
    "https://shop.example/tee-m.html",
  ])("ignores %s", (url) => expect(detectPage(url)).toBeUndefined());
});
