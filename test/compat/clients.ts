// The official clients, unmodified, pointed at the Worker the way an app does it: @cloudbase/oauth
// with an in-memory storage and a captcha hook, @cloudbase/js-sdk with init + registerHost.
import { CloudbaseOAuth } from "@cloudbase/oauth";
import { API_HOST, API_ORIGIN, MemoryStorage } from "./browser";
import { captchaSolver } from "./world";
import { uniqueName } from "../http/helpers";

/** @cloudbase/oauth's SimpleStorage over a Web Storage (the clients accept any such adapter). */
export function simpleStorage(storage: MemoryStorage) {
  return {
    getItem: async (key: string) => storage.getItem(key),
    setItem: async (key: string, value: string) => storage.setItem(key, value),
    removeItem: async (key: string) => storage.removeItem(key),
    getItemSync: (key: string) => storage.getItem(key),
    setItemSync: (key: string, value: string) => storage.setItem(key, value),
    removeItemSync: (key: string) => storage.removeItem(key),
  };
}

export interface OauthApp {
  oauth: CloudbaseOAuth;
  clientId: string;
  storage: MemoryStorage;
  captcha: ReturnType<typeof captchaSolver>;
}

/** A page's @cloudbase/oauth instance; pass the storage of an earlier one to model a reload. */
export function openOauthApp(previous?: Pick<OauthApp, "clientId" | "storage">): OauthApp {
  const clientId = previous?.clientId ?? uniqueName("oauthapp");
  const storage = previous?.storage ?? new MemoryStorage();
  // Late binding: the hook calls the client it belongs to.
  const captcha = captchaSolver((params) => oauth.authApi.verifyCaptchaData(params));
  const oauth: CloudbaseOAuth = new CloudbaseOAuth({
    apiOrigin: API_ORIGIN,
    clientId,
    env: clientId,
    storage: simpleStorage(storage),
    captchaOptions: { openURIWithCallback: captcha.openURIWithCallback },
  });
  oauth.initializeSession();
  return { oauth, clientId, storage, captcha };
}

type Cloudbase = typeof import("@cloudbase/js-sdk");
export type JsSdkApp = ReturnType<Cloudbase["init"]>;
export type JsSdkAuth = ReturnType<JsSdkApp["auth"]>;
type AuthOptions = Parameters<JsSdkApp["auth"]>[0];

export interface SdkApp {
  app: JsSdkApp;
  auth: JsSdkAuth;
  env: string;
  captcha: ReturnType<typeof captchaSolver>;
}

/**
 * A page's js-sdk app. `env` names the app's storage keys, so passing an earlier app's env models
 * a reload of the same page. Imported lazily: the browser build reads `window` and `localStorage`
 * during init, which the test installs first.
 */
export async function openSdkApp(previousEnv?: string): Promise<SdkApp> {
  // The browser build's default export (the package types it as `export =`).
  const { default: cloudbase } = (await import("@cloudbase/js-sdk")) as unknown as { default: Cloudbase };
  const env = previousEnv ?? uniqueName("sdkenv");
  const app = cloudbase.init({ env, clientId: env });
  app.registerHost(API_HOST, "https");
  // The captcha hook is an auth option (untyped in the sdk's declarations); without one the sdk
  // draws its own dialog into the page.
  const captcha = captchaSolver((params) => auth.verifyCaptchaData(params));
  const options = { persistence: "local", captchaOptions: { openURIWithCallback: captcha.openURIWithCallback } };
  const auth: JsSdkAuth = app.auth(options as AuthOptions);
  return { app, auth, env, captcha };
}
