// Website sign-in with WeChat (QR-code login of the WeChat Open Platform, docs/providers.md).
// WeChat is not standard OAuth 2: the app id and secret travel in the query of a GET, and errors
// come back with HTTP 200 as {errcode, errmsg}. oauth4webapi cannot speak that, so this small
// exchange is by hand, every answer checked with valibot. No PKCE and no email at WeChat.
import * as v from "valibot";
import type { ProviderIdentity } from "./flow-state";
import { nameOf, pictureOf } from "./identity-fields";
import type { AuthorizationRequest, CallbackExchange } from "./oauth2";
import type { WechatProviderConfig } from "./provider-config";
import { ProviderCallError } from "./provider-error";
import { getJson } from "./provider-fetch";

const Id = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,128}$/));

/** An error answer; errcode 0 would be success, which these endpoints never send with it. */
const Errcode = v.object({ errcode: v.pipe(v.number(), v.integer(), v.notValue(0)), errmsg: v.optional(v.string()) });

const TokenAnswer = v.object({ access_token: v.pipe(v.string(), v.nonEmpty()), openid: Id, unionid: v.optional(Id) });

const UserinfoAnswer = v.object({
  openid: Id,
  unionid: v.optional(Id),
  nickname: v.optional(v.string()),
  headimgurl: v.optional(v.string()),
});

export function wechatAuthorizationUrl(entry: WechatProviderConfig, request: AuthorizationRequest): URL {
  const url = new URL(entry.authorization_endpoint);
  // WeChat matches the parameters in this order, and wants the #wechat_redirect fragment.
  url.search = new URLSearchParams({
    appid: entry.client_id,
    redirect_uri: request.redirectUri,
    response_type: "code",
    scope: entry.scope ?? "snsapi_login",
    state: request.state,
  }).toString();
  url.hash = "wechat_redirect";
  return url;
}

/** A WeChat call: its {errcode} answer is a failure naming the code (the message bounded, for the log). */
async function wechatCall<S extends v.GenericSchema>(entry: WechatProviderConfig, step: "token" | "userinfo", url: URL, schema: S) {
  const answer = await getJson(entry, step, url, {}, v.union([Errcode, schema]));
  if (typeof answer === "object" && answer !== null && "errcode" in answer) {
    const { errcode, errmsg } = answer as v.InferOutput<typeof Errcode>;
    const message = (errmsg ?? "").replace(/[^\x20-\x7e]/g, "").slice(0, 120);
    throw new ProviderCallError(entry.id, step, new Error(`answered errcode ${errcode} (${message})`));
  }
  return answer as v.InferOutput<S>;
}

/**
 * The subject is the unionid when WeChat gives one: it is the same for the user across every app
 * of the operator's Open Platform account (a new website app, the mobile app), while the openid
 * differs per app. Without a unionid (an app not bound to an Open Platform account) it is the openid.
 */
export async function wechatExchange(entry: WechatProviderConfig, exchange: CallbackExchange): Promise<ProviderIdentity> {
  const code = exchange.parameters.get("code");
  if (!code || exchange.parameters.get("state") !== exchange.state) {
    throw new ProviderCallError(entry.id, "token", new Error("the callback has no code or another state"));
  }
  const tokenUrl = new URL(entry.token_endpoint);
  tokenUrl.search = new URLSearchParams({ appid: entry.client_id, secret: entry.client_secret, code, grant_type: "authorization_code" }).toString();
  const token = await wechatCall(entry, "token", tokenUrl, TokenAnswer);
  const userinfoUrl = new URL(entry.userinfo_endpoint);
  userinfoUrl.search = new URLSearchParams({ access_token: token.access_token, openid: token.openid }).toString();
  const user = await wechatCall(entry, "userinfo", userinfoUrl, UserinfoAnswer);
  const unionid = token.unionid ?? user.unionid;
  if (user.openid !== token.openid || (token.unionid && user.unionid && token.unionid !== user.unionid)) {
    throw new ProviderCallError(entry.id, "userinfo", new Error("the profile is of another user"));
  }
  return { provider: entry.id, subject: unionid ?? token.openid, email: null, emailVerified: false, name: nameOf(user.nickname), picture: pictureOf(user.headimgurl) };
}
