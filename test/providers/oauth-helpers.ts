// The Worker configured with the GitHub and WeChat stand-ins of test/providers/oauth-setup.ts,
// and what the tests of those flows look at besides the HTTP answers: auth events and D1 rows.
import { env } from "cloudflare:workers";
import { expect, inject, vi } from "vitest";
import { result } from "../http/helpers";
import { APP_PAGE, providerUri, varsWithEntries, type AppReturn, type ProviderEntry } from "./helpers";
import { GITHUB_APP, githubEndpoints, WECHAT_APPS, wechatEndpoints } from "./oauth-apps";

export const standIns = () => inject("oauthStandIns");

/** A WeChat app's id and secret as an entry's client_id and client_secret. */
export const wechatClient = (app: keyof typeof WECHAT_APPS) => ({ client_id: WECHAT_APPS[app].appid, client_secret: WECHAT_APPS[app].secret });

/** "github" and "wechat" (the `web` app) at the stand-ins; per-entry overrides by id. */
export function oauthVars(overrides: { github?: ProviderEntry; wechat?: ProviderEntry } = {}, vars: Record<string, string> = {}) {
  const { github, wechat } = standIns();
  return varsWithEntries(
    [
      { id: "github", type: "github", name: "GitHub", ...GITHUB_APP, ...githubEndpoints(github), ...overrides.github },
      { id: "wechat", type: "wechat", name: "WeChat", ...wechatClient("web"), ...wechatEndpoints(wechat), ...overrides.wechat },
    ],
    vars,
  );
}

/** The auth events logged from now on (restore with vi.restoreAllMocks). */
export function captureAuthEvents(): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  vi.spyOn(console, "log").mockImplementation((line: unknown) => {
    const parsed = JSON.parse(String(line)) as Record<string, unknown>;
    if (parsed.type === "auth") events.push(parsed);
  });
  return events;
}

/** Users and identities in D1 (tests of one file run one at a time on one database). */
export async function rowCounts(): Promise<{ users: number; identities: number }> {
  const row = await env.DB.prepare("SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM identities) AS identities").first<{
    users: number;
    identities: number;
  }>();
  return row!;
}

/** The subject a provider's identity of the user is linked by. */
export async function linkedSubject(userId: string, provider: string): Promise<string | undefined> {
  const row = await env.DB.prepare("SELECT subject FROM identities WHERE user_id = ?1 AND provider = ?2").bind(userId, provider).first<{ subject: string }>();
  return row?.subject;
}

/** The provider's authorization URL of a flow started for `provider` (as the clients decode it). */
export async function authorizationUrlOf(vars: Record<string, string>, provider: string): Promise<URL> {
  const started = await result(await providerUri(vars, { provider_id: provider, state: "s1", redirect_uri: APP_PAGE }));
  expect(started.status).toBe(200);
  return new URL(decodeURIComponent(String(started.body.uri)));
}

/** A flow that went wrong after the provider: back to the app page with `error`, the client's state, and no code. */
export function expectFailedReturn(back: AppReturn, error = "server_error"): void {
  expect(back.status).toBe(302);
  expect(`${back.location!.origin}${back.location!.pathname}`).toBe(APP_PAGE);
  expect(back.location!.searchParams.get("error")).toBe(error);
  expect(back.location!.searchParams.get("state")).toBe("client-state-1");
  expect(back.location!.searchParams.has("code")).toBe(false);
}
