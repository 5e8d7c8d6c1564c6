// Stand-ins for GitHub and WeChat in Node (scripts/lib/test-github-provider.mjs and
// test-wechat-provider.mjs) for the workerd tests: started once on 127.0.0.1 with free ports,
// their URLs handed to the tests through `provide`/`inject` (test/providers/oauth-helpers.ts).
import type { TestProject } from "vitest/node";
import { startGithubStandIn } from "../../scripts/lib/test-github-provider.mjs";
import { startWechatStandIn } from "../../scripts/lib/test-wechat-provider.mjs";
import { GITHUB_APP, WECHAT_APPS } from "./oauth-apps";

declare module "vitest" {
  export interface ProvidedContext {
    oauthStandIns: { github: string; wechat: string };
  }
}

/** The callback of the Worker under test (ISSUER of vitest.config.ts). */
const CALLBACK = "https://auth.test/auth/v1/provider/callback";

export default async function setup(project: TestProject) {
  const [github, wechat] = await Promise.all([
    startGithubStandIn({ apps: [{ ...GITHUB_APP, redirect_uris: [CALLBACK] }] }),
    startWechatStandIn({
      apps: [
        { ...WECHAT_APPS.web, domain: "auth.test", open_platform: "operator-1" },
        { ...WECHAT_APPS.web2, domain: "auth.test", open_platform: "operator-1" },
        { ...WECHAT_APPS.solo, domain: "auth.test" },
      ],
    }),
  ]);
  project.provide("oauthStandIns", { github: github.url, wechat: wechat.url });
  return async () => {
    await Promise.all([github.stop(), wechat.stop()]);
  };
}
