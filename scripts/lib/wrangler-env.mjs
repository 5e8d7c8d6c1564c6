// The environment that keeps wrangler quiet and offline (no metrics, banner, Cloudflare lookups
// or error reports), shared by `npm run dev`, the bench and the Node-side tests.
export const QUIET_WRANGLER_ENV = Object.freeze({
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_HIDE_BANNER: "true",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_SEND_ERROR_REPORTS: "false",
});
