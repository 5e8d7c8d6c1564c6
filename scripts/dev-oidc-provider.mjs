// A local OpenID Provider for trying provider sign-in with `npm run dev` (docs/providers.md):
// issuer http://127.0.0.1:9090, client "edge-signin", returning to the dev Worker's callback.
import { startTestProvider } from "./lib/test-oidc-provider.mjs";

const port = Number(process.env.PORT ?? 9090);
const { issuer } = await startTestProvider({
  port,
  clients: [
    {
      client_id: "edge-signin",
      client_secret: "dev-secret-0123456789abcdef",
      redirect_uris: ["http://127.0.0.1:8787/auth/v1/provider/callback"],
    },
  ],
});
console.log(`OpenID Provider at ${issuer} (any login_hint signs in; default "alice"). Ctrl-C to stop.`);
