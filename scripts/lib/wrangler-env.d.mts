// Types of wrangler-env.mjs, for the Node-side tests.
export const QUIET_WRANGLER_ENV: Readonly<Record<string, string>>;
