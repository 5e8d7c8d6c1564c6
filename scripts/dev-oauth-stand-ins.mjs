// Local stand-ins for GitHub (http://127.0.0.1:9091) and WeChat (http://127.0.0.1:9092) for trying
// their sign-in with `npm run dev` (docs/providers.md), returning to the dev Worker's callback.
// Prints the AUTH_PROVIDERS entries that point at them.
import { startGithubStandIn } from "./lib/test-github-provider.mjs";
import { startWechatStandIn } from "./lib/test-wechat-provider.mjs";

const CALLBACK = "http://127.0.0.1:8787/auth/v1/provider/callback";
const github = await startGithubStandIn({
  port: Number(process.env.GITHUB_PORT ?? 9091),
  apps: [{ client_id: "dev-github-app", client_secret: "dev-github-secret-0123456789", redirect_uris: [CALLBACK] }],
});
const wechat = await startWechatStandIn({
  port: Number(process.env.WECHAT_PORT ?? 9092),
  apps: [{ appid: "wxdev0000000000001", secret: "dev-wechat-secret-0123456789", domain: "127.0.0.1:8787", open_platform: "dev" }],
});
const entries = [
  {
    id: "github",
    type: "github",
    client_id: "dev-github-app",
    client_secret: "dev-github-secret-0123456789",
    authorization_endpoint: `${github.url}/login/oauth/authorize`,
    token_endpoint: `${github.url}/login/oauth/access_token`,
    api_url: `${github.url}/api/v3`,
  },
  {
    id: "wechat",
    type: "wechat",
    client_id: "wxdev0000000000001",
    client_secret: "dev-wechat-secret-0123456789",
    authorization_endpoint: `${wechat.url}/connect/qrconnect`,
    token_endpoint: `${wechat.url}/sns/oauth2/access_token`,
    userinfo_endpoint: `${wechat.url}/sns/userinfo`,
  },
];
console.log(`GitHub stand-in at ${github.url}, WeChat stand-in at ${wechat.url} (login_hint names the user). Ctrl-C to stop.`);
console.log(`AUTH_PROVIDERS='${JSON.stringify(entries)}'`);
