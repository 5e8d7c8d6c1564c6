// Prints the Worker's secrets that are set in the environment as one JSON object, for
// `wrangler secret bulk` in CI. Unset or empty ones are left out, so an existing secret is kept.
const NAMES = ["JWT_SIGNING_KEYS", "ADMIN_API_TOKEN", "WEBHOOK_SECRET", "TURNSTILE_SECRET", "PASSWORD_PEPPER"];

const secrets = Object.fromEntries(NAMES.filter((name) => process.env[name]).map((name) => [name, process.env[name]]));
process.stdout.write(JSON.stringify(secrets));
