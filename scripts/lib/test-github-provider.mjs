// A stand-in for GitHub's OAuth apps and REST API, for tests and local development, answering like
// GitHub does: /login/oauth/authorize redirects back at once with code and state (the account is
// the one `login` names, GitHub's own hint, or `login_hint`; default "octocat");
// /login/oauth/access_token checks client id and secret, the code (once, 10 minutes), the
// redirect URI and the PKCE verifier, and answers its errors with HTTP 200 and an `error` field;
// /api/v3/user and /api/v3/user/emails want a token and a User-Agent.
// Accounts by login: "<login>@users.gh.test" is the verified primary email (and a verified
// "<login>-alt@gh.test" besides); "unverified…" has only an unverified primary; "secondary…" has an
// unverified primary and a verified other; "broken…" gets a /user answer without a numeric id.
import { createHash } from "node:crypto";
import { Grants, listen, randomId, readParams, redirect, send, stableId } from "./stand-in-http.mjs";

const CODE_TTL_MS = 10 * 60_000;

/** A positive numeric id, stable per login, as GitHub's are. */
const numericId = (login) => Number.parseInt(stableId("github", login).replace(/[^0-9]/g, "").slice(0, 9) || "1", 10) + 1;

function emailsOf(login) {
  const primary = `${login}@users.gh.test`;
  if (login.startsWith("unverified")) return [{ email: primary, primary: true, verified: false, visibility: "private" }];
  if (login.startsWith("secondary")) {
    return [
      { email: primary, primary: true, verified: false, visibility: "private" },
      { email: `${login}-alt@gh.test`, primary: false, verified: true, visibility: null },
    ];
  }
  return [
    { email: `${login}-alt@gh.test`, primary: false, verified: true, visibility: null },
    { email: primary, primary: true, verified: true, visibility: "private" },
  ];
}

function userOf(login) {
  const id = login.startsWith("broken") ? String(numericId(login)) : numericId(login);
  return { login, id, type: "User", name: `Name of ${login}`, avatar_url: `https://avatars.gh.test/u/${numericId(login)}?v=4`, email: null };
}

const s256 = (verifier) => createHash("sha256").update(verifier).digest("base64url");

/** `apps`: [{client_id, client_secret, redirect_uris}]. Resolves to {url, stop}. */
export async function startGithubStandIn({ port = 0, apps }) {
  const codes = new Grants();
  const tokens = new Map();

  function authorize(res, query) {
    const app = apps.find((candidate) => candidate.client_id === query.get("client_id"));
    if (!app) return send(res, 404, "Not Found", "text/plain");
    const redirectUri = query.get("redirect_uri") ?? app.redirect_uris[0];
    if (!app.redirect_uris.includes(redirectUri)) return send(res, 400, "The redirect_uri is not associated with this application.", "text/plain");
    const challenge = query.get("code_challenge");
    if (challenge && query.get("code_challenge_method") !== "S256") return send(res, 400, "code_challenge_method must be S256", "text/plain");
    const login = query.get("login") || query.get("login_hint") || "octocat";
    const code = codes.issue({ clientId: app.client_id, redirectUri, challenge, login, scope: query.get("scope") ?? "" }, CODE_TTL_MS);
    const back = new URL(redirectUri);
    back.searchParams.set("code", code);
    if (query.has("state")) back.searchParams.set("state", query.get("state"));
    return redirect(res, back);
  }

  async function exchange(req, res) {
    const params = await readParams(req);
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? "");
    const [basicId, basicSecret] = basic ? Buffer.from(basic[1], "base64").toString().split(":") : [];
    const clientId = params.get("client_id") ?? basicId;
    const app = apps.find((candidate) => candidate.client_id === clientId && candidate.client_secret === (params.get("client_secret") ?? basicSecret));
    const refuse = (error, description) =>
      reply(res, req, { error, error_description: description, error_uri: "https://docs.gh.test/apps/troubleshooting-oauth-errors" });
    if (!app) return refuse("incorrect_client_credentials", "The client_id and/or client_secret passed are incorrect.");
    const taken = codes.take(params.get("code") ?? "");
    const grant = taken && !taken.used && taken.value.clientId === app.client_id ? taken.value : undefined;
    if (!grant) return refuse("bad_verification_code", "The code passed is incorrect or expired.");
    if (params.has("redirect_uri") && params.get("redirect_uri") !== grant.redirectUri) {
      return refuse("redirect_uri_mismatch", "The redirect_uri MUST match the registered callback URL for this application.");
    }
    if (grant.challenge && s256(params.get("code_verifier") ?? "") !== grant.challenge) {
      return refuse("bad_verification_code", "The code passed is incorrect or expired.");
    }
    const token = `gho_${randomId(27)}`;
    tokens.set(token, grant);
    return reply(res, req, { access_token: token, token_type: "bearer", scope: grant.scope.split(" ").filter(Boolean).join(",") });
  }

  /** GitHub answers JSON only when asked; a form otherwise. */
  function reply(res, req, body) {
    if ((req.headers.accept ?? "").includes("application/json")) return send(res, 200, body);
    return send(res, 200, new URLSearchParams(body).toString(), "application/x-www-form-urlencoded; charset=utf-8");
  }

  function api(req, res, path) {
    if (!req.headers["user-agent"]) {
      return send(res, 403, "Request forbidden by administrative rules. Please make sure your request has a User-Agent header", "text/plain");
    }
    const token = /^(?:Bearer|token) (.+)$/i.exec(req.headers.authorization ?? "")?.[1];
    const grant = token ? tokens.get(token) : undefined;
    if (!grant) return send(res, 401, { message: "Bad credentials", documentation_url: "https://docs.gh.test/rest", status: "401" });
    if (path === "/user") return send(res, 200, userOf(grant.login));
    if (path === "/user/emails" && /(^|[ ,])user(:email)?([ ,]|$)/.test(grant.scope)) return send(res, 200, emailsOf(grant.login));
    return send(res, 404, { message: "Not Found", documentation_url: "https://docs.gh.test/rest", status: "404" });
  }

  return listen(port, async (req, res, url) => {
    if (req.method === "GET" && url.pathname === "/login/oauth/authorize") return authorize(res, url.searchParams);
    if (req.method === "POST" && url.pathname === "/login/oauth/access_token") return exchange(req, res);
    if (req.method === "GET" && url.pathname.startsWith("/api/v3/")) return api(req, res, url.pathname.slice("/api/v3".length));
    return send(res, 404, { message: "Not Found" });
  });
}
