// Demo only: a real storefront renders the signed customer token into the page server-side
// (Liquid `hmac_sha256`, PHP `hash_hmac`; see widget/README.md). The demo takes it from
// `?customer_token=` so that the index page can link "signed in as CUST-ACME".
(() => {
  const token = new URLSearchParams(location.search).get("customer_token");
  if (token) for (const el of document.querySelectorAll('[data-backroom="price"],[data-backroom="account"]')) el.dataset.customerToken = token;
})();
