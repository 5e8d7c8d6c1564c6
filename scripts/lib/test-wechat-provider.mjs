// A stand-in for WeChat's website (QR-code) login, for tests and local development, answering like
// the WeChat Open Platform does: /connect/qrconnect redirects back at once with code and state, as
// if the user had scanned the code and agreed (the user is the one `login_hint` names, a stand-in
// parameter; default "alice"); /sns/oauth2/access_token (appid and secret in the query, the code
// good once for 10 minutes) and /sns/userinfo answer errors as HTTP 200 {errcode, errmsg}, and
// everything as text/plain, as WeChat does. A user's openid differs per app; apps of one Open
// Platform account (`open_platform`) also get a unionid that is the same across them.
import { Grants, listen, randomId, redirect, send, stableId } from "./stand-in-http.mjs";

const CODE_TTL_MS = 10 * 60_000;

const fail = (res, errcode, errmsg) => send(res, 200, { errcode, errmsg: `${errmsg}, rid: ${randomId(6)}` }, "text/plain");
const answer = (res, body) => send(res, 200, body, "text/plain");

const openidOf = (app, user) => `o${stableId("openid", app.appid, user).slice(0, 27)}`;
const unionidOf = (app, user) => (app.open_platform ? `u${stableId("unionid", app.open_platform, user).slice(0, 27)}` : undefined);

/** `apps`: [{appid, secret, domain (the callback host WeChat allows), open_platform?}]. Resolves to {url, stop}. */
export async function startWechatStandIn({ port = 0, apps }) {
  const codes = new Grants();
  const tokens = new Map();

  function qrconnect(res, query) {
    const app = apps.find((candidate) => candidate.appid === query.get("appid"));
    // WeChat shows an error page rather than returning to an unverified site.
    if (!app) return send(res, 400, "参数错误 (appid)", "text/plain; charset=utf-8");
    let back;
    try {
      back = new URL(query.get("redirect_uri") ?? "");
    } catch {
      return send(res, 400, "参数错误 (redirect_uri)", "text/plain; charset=utf-8");
    }
    if (back.host !== app.domain) return send(res, 400, "redirect_uri 参数错误", "text/plain; charset=utf-8");
    if (query.get("response_type") !== "code" || query.get("scope") !== "snsapi_login") {
      return send(res, 400, "Scope 参数错误或没有 Scope 权限", "text/plain; charset=utf-8");
    }
    const user = query.get("login_hint") || "alice";
    back.searchParams.set("code", codes.issue({ appid: app.appid, user }, CODE_TTL_MS));
    back.searchParams.set("state", query.get("state") ?? "");
    return redirect(res, back);
  }

  function accessToken(res, query) {
    const app = apps.find((candidate) => candidate.appid === query.get("appid"));
    if (!app) return fail(res, 40013, "invalid appid");
    if (query.get("secret") !== app.secret) return fail(res, 40125, "invalid appsecret");
    if (query.get("grant_type") !== "authorization_code") return fail(res, 40002, "invalid grant_type");
    const taken = codes.take(query.get("code") ?? "");
    if (!taken || taken.value.appid !== app.appid) return fail(res, 40029, "invalid code");
    if (taken.used) return fail(res, 40163, "code been used");
    const { user } = taken.value;
    const token = randomId(32);
    const openid = openidOf(app, user);
    const unionid = unionidOf(app, user);
    tokens.set(token, { app, user, openid });
    return answer(res, { access_token: token, expires_in: 7200, refresh_token: randomId(32), openid, scope: "snsapi_login", ...(unionid ? { unionid } : {}) });
  }

  function userinfo(res, query) {
    const grant = tokens.get(query.get("access_token") ?? "");
    if (!grant) return fail(res, 40001, "invalid credential, access_token is invalid or not latest");
    if (query.get("openid") !== grant.openid) return fail(res, 40003, "invalid openid");
    const unionid = unionidOf(grant.app, grant.user);
    return answer(res, {
      openid: grant.openid,
      nickname: `Nick ${grant.user}`,
      sex: 0,
      language: "",
      city: "",
      province: "",
      country: "",
      headimgurl: `https://thirdwx.qlogo.test/mmopen/${stableId("avatar", grant.user).slice(0, 16)}/132`,
      privilege: [],
      ...(unionid ? { unionid } : {}),
    });
  }

  return listen(port, async (req, res, url) => {
    if (req.method !== "GET") return fail(res, 43001, "require GET method");
    if (url.pathname === "/connect/qrconnect") return qrconnect(res, url.searchParams);
    if (url.pathname === "/sns/oauth2/access_token") return accessToken(res, url.searchParams);
    if (url.pathname === "/sns/userinfo") return userinfo(res, url.searchParams);
    return fail(res, 40066, "invalid url");
  });
}
