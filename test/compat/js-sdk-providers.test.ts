// @cloudbase/js-sdk (browser build), unmodified, signing in through a real OpenID Provider: the
// page's location is the app page, the provider is walked by a browser with cookies, and every
// client call crosses the page's CORS.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_PAGE, callback, idTokenFrom, issuers, login, ProviderBrowser, providerVars, SERVICE_CLIENT } from "../providers/helpers";
import { openSdkApp } from "./clients";
import { openWorld, useBrowser } from "./world";

useBrowser();

/** The page's `location`: what the sdk reads (origin, pathname, search, hash) and where it navigates. */
class PageLocation {
  assigned: string[] = [];
  private url = new URL(APP_PAGE);
  get href() { return this.url.href; }
  get origin() { return this.url.origin; }
  get pathname() { return this.url.pathname; }
  get search() { return this.url.search; }
  get hash() { return this.url.hash; }
  get host() { return this.url.host; }
  get hostname() { return this.url.hostname; }
  get protocol() { return this.url.protocol; }
  assign(url: string) { this.assigned.push(url); }
  replace(url: string) { this.assigned.push(url); }
  /** The browser arrives at `url` (a page load). */
  arrive(url: string | URL) { this.url = new URL(url); }
}

const scope = globalThis as Record<string, unknown>;
let page: PageLocation;
const saved = { location: scope.location, document: scope.document, history: scope.history };
beforeAll(() => {
  page = new PageLocation();
  scope.location = page;
  // The sdk navigates (location.assign) only where it sees a browser: window and document.
  scope.document ??= {};
  // After verifyOAuth the sdk takes code and state out of the address bar.
  scope.history = { replaceState: (_state: unknown, _title: string, url?: string) => url && page.arrive(new URL(url, page.href)) };
});
afterAll(() => {
  scope.location = saved.location;
  scope.document = saved.document;
  scope.history = saved.history;
});

/** The user at the provider: from the URL the sdk navigated to, back to the app page. */
async function throughProvider(vars: Record<string, string>): Promise<void> {
  const authorize = page.assigned.at(-1);
  if (!authorize) throw new Error("the sdk did not navigate to the provider");
  const callbackUrl = await new ProviderBrowser().untilLeavingProvider(authorize);
  const back = await callback(vars, callbackUrl);
  if (!back.location) throw new Error(`the callback answered ${back.status} ${JSON.stringify(back.body)}`);
  page.arrive(back.location);
}

describe("@cloudbase/js-sdk: sign-in with other identity providers", () => {
  it("signInWithOAuth → provider → verifyOAuth → getUser; linkIdentity, getUserIdentities, unlinkIdentity; signInWithIdToken", { timeout: 30_000 }, async () => {
    const vars = providerVars();
    const { page: browserPage } = openWorld(1, vars);
    const { auth } = await openSdkApp();
    const who = login("sdk");

    page.arrive(APP_PAGE);
    const started = await auth.signInWithOAuth({ provider: "corp", options: { queryParams: { login_hint: who } } });
    expect(started.error).toBeNull();
    expect(new URL(started.data.url!).origin).toBe(issuers().a);
    await throughProvider(vars);
    expect(page.search).toMatch(/[?&]code=/);

    const verified = await auth.verifyOAuth();
    expect(verified.error).toBeNull();
    const { data: got, error: getError } = await auth.getUser();
    expect(getError).toBeNull();
    expect(got.user).toMatchObject({ email: `${who}@idp.test` });
    const userId = got.user!.id;
    expect(browserPage.calls("/auth/v1/provider/token")[0]!.status).toBe(200);
    expect(browserPage.calls("/auth/v1/signin/with/provider")[0]!.status).toBe(200);

    page.arrive(APP_PAGE);
    const partnerLogin = login("partner");
    const linking = await auth.linkIdentity({ provider: "partner" });
    expect(linking.error).toBeNull();
    // The app adds the login hint the way a person would type their name at the provider.
    const target = new URL(page.assigned.at(-1)!);
    target.searchParams.set("login_hint", partnerLogin);
    page.assigned.push(target.toString());
    await throughProvider(vars);
    const bound = await auth.verifyOAuth();
    expect(bound.error).toBeNull();
    expect(browserPage.calls("/auth/v1/user/provider/bind").map((call) => call.status)).toEqual([200]);

    const identities = await auth.getUserIdentities();
    expect(identities.error).toBeNull();
    expect(identities.data.identities!.map((identity: unknown) => (identity as unknown as { id: string }).id).sort()).toEqual(["corp", "partner"]);

    const unlinked = await auth.unlinkIdentity({ provider: "partner" });
    expect(unlinked.error).toBeNull();
    const after = await auth.getUserIdentities();
    expect(after.data.identities!.map((identity: unknown) => (identity as unknown as { id: string }).id)).toEqual(["corp"]);

    const idToken = await idTokenFrom(issuers().a, SERVICE_CLIENT, who);
    const signedIn = await auth.signInWithIdToken({ provider: "corp", token: idToken });
    expect(signedIn.error).toBeNull();
    expect(signedIn.data.user).toMatchObject({ id: userId });
  });
});
