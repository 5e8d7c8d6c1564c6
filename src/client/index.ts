// A typed client for this service (package export "./client"): a small wrapper over fetch in the
// manner of the CloudBase auth SDK (signIn, verification codes, signUp, refresh, signOut, getUser).
// - the session (tokens and expiry) lives in a pluggable storage: memory by default, or anything
//   with get/set/remove (localStorage fits);
// - `captcha_required` on sign-in or a code send: retried once with a token from `getCaptchaToken`;
// - an expired access token (or a 401) is refreshed once, then the call is retried once;
// - every failure is an AuthError carrying the service's `error` string.
// No dependencies; runs in browsers, Workers and Node 18+.
// The answers' types come from their one definition (src/api/answers.ts); type-only imports, so
// the client carries no schema code.
import type { CaptchaChallenge, CaptchaToken, SudoToken, TokenResponse, User, VerificationSent } from "../api/answers";
import type { ErrorName } from "../errors";

export type AuthErrorName = ErrorName | "network_error" | "invalid_response" | "not_signed_in";

/** A failure as the service reported it (`error`, `error_code`, `error_description`), or a local one. */
export class AuthError extends Error {
  override readonly name = "AuthError";
  constructor(
    readonly error: AuthErrorName,
    readonly status: number,
    readonly description: string,
    readonly extra: { errorCode?: number; details?: { path: string; message: string }[]; retryAfter?: number; requestId?: string } = {},
  ) {
    super(`${error}: ${description}`);
  }
}

/** Where the session is kept. Synchronous (localStorage) or asynchronous storages both fit. */
export interface TokenStorage {
  get(key: string): string | null | undefined | Promise<string | null | undefined>;
  set(key: string, value: string): void | Promise<void>;
  remove(key: string): void | Promise<void>;
}

export class MemoryStorage implements TokenStorage {
  readonly #items = new Map<string, string>();
  get(key: string) {
    return this.#items.get(key) ?? null;
  }
  set(key: string, value: string) {
    this.#items.set(key, value);
  }
  remove(key: string) {
    this.#items.delete(key);
  }
}

/** `localStorage` (or `sessionStorage`) as a TokenStorage. */
export const webStorage = (storage: {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}): TokenStorage => ({
  get: (key) => storage.getItem(key),
  set: (key, value) => storage.setItem(key, value),
  remove: (key) => storage.removeItem(key),
});

/** The token response of sign-in, signup and refresh (docs/protocol.md §2), as the service defines it. */
export type { TokenResponse };

/** The stored session: the token response plus when its access token expires (ms since epoch). */
export interface Session extends TokenResponse {
  expires_at: number;
}

export type { CaptchaChallenge, User, VerificationSent };

export type Contact = { phone_number: string; email?: never } | { email: string; phone_number?: never };

export type SendVerificationParams = Contact & {
  target?: "ANY" | "USER" | "NOT_USER";
  usage?: "SIGN_IN" | "REGISTER" | "PASSWORD_RESET" | "REAUTHENTICATION";
};

/** What a user edits about themselves; null clears a field. */
export interface ProfileChanges {
  name?: string | null;
  /** An https URL. */
  picture?: string | null;
  gender?: "MALE" | "FEMALE" | "UNKNOWN" | null;
  description?: string | null;
  username?: string;
}

export interface VerifyParams {
  verification_id: string;
  verification_code: string;
}

export interface SignUpParams {
  verification_token: string;
  username?: string;
  password?: string;
  name?: string;
}

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface AuthClientOptions {
  /** The service's origin, e.g. `https://auth.example.com` (paths start with /auth/v1). */
  baseUrl: string;
  /** Defaults to the global fetch. Tests and service bindings pass their own. */
  fetch?: FetchLike;
  /** Defaults to memory (the session ends with the page or process). */
  storage?: TokenStorage;
  /** The storage key of the session. */
  storageKey?: string;
  /** Called on `captcha_required`: show a captcha (see getCaptcha/solveCaptcha) and resolve with its token. */
  getCaptchaToken?: (context: { operation: "signIn" | "sendVerification" | "sudo" }) => Promise<string>;
  /** Refresh this many seconds before the access token expires (default 30). */
  refreshLeewaySeconds?: number;
  /** Sent as the `client_id` query parameter, as the CloudBase clients do (the service ignores it). */
  clientId?: string;
}

type CallOptions = { body?: unknown; bearer?: string; captchaToken?: string };

export class AuthClient {
  readonly #base: string;
  readonly #fetch: FetchLike;
  readonly #storage: TokenStorage;
  readonly #key: string;
  readonly #options: AuthClientOptions;
  #refreshing: Promise<Session> | undefined;

  constructor(options: AuthClientOptions) {
    this.#options = options;
    this.#base = options.baseUrl.replace(/\/+$/, "");
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#storage = options.storage ?? new MemoryStorage();
    this.#key = options.storageKey ?? "edge-signin.session";
  }

  /** Username (or the user's phone number or email) and password. */
  async signIn(params: { username: string; password: string }): Promise<Session> {
    return this.#saveSession(await this.#withCaptcha("signIn", (captchaToken) =>
      this.#call<TokenResponse>("POST", "/auth/v1/signin", { body: params, captchaToken }),
    ));
  }

  /** With a verification token, or with the code itself (verified first). */
  async signInWithCode(params: { verification_token: string } | VerifyParams): Promise<Session> {
    const token = "verification_token" in params ? params.verification_token : (await this.verify(params)).verification_token;
    return this.#saveSession(await this.#call<TokenResponse>("POST", "/auth/v1/signin", { body: { verification_token: token } }));
  }

  /** Sends a code to a phone number or email. */
  sendVerification(params: SendVerificationParams): Promise<VerificationSent> {
    return this.#withCaptcha("sendVerification", (captchaToken) =>
      this.#call<VerificationSent>("POST", "/auth/v1/verification", { body: params, captchaToken }),
    );
  }

  /** Exchanges a code for a single-use verification token (for signInWithCode or signUp). */
  verify(params: VerifyParams): Promise<{ verification_token: string; expires_in: number }> {
    return this.#call("POST", "/auth/v1/verification/verify", { body: params });
  }

  /** Creates a user from a verified phone number or email, and signs in. */
  async signUp(params: SignUpParams): Promise<Session> {
    return this.#saveSession(await this.#call<TokenResponse>("POST", "/auth/v1/signup", { body: params }));
  }

  /** A new token pair now. On `invalid_grant` the session is gone: it is cleared and the error thrown. */
  refresh(): Promise<Session> {
    // One refresh at a time: concurrent callers share it (the service rotates refresh tokens).
    this.#refreshing ??= this.#refresh().finally(() => (this.#refreshing = undefined));
    return this.#refreshing;
  }

  /** Revokes the session at the service and forgets it here (also when the service cannot be reached). */
  async signOut(): Promise<void> {
    const session = await this.getSession();
    if (!session) return;
    try {
      await this.#call("POST", "/auth/v1/revoke", { body: { token: session.refresh_token } });
    } finally {
      await this.#storage.remove(this.#key);
    }
  }

  /**
   * Signs out at the service with the access token: this session (`local`, the default), every
   * session of the user (`global`) or every other one (`others`). Forgets the session here unless
   * `others`.
   */
  async signOutSessions(scope: "local" | "global" | "others" = "local"): Promise<void> {
    try {
      await this.#authorized((bearer) => this.#call("POST", "/auth/v1/user/signout", { body: { scope }, bearer }));
    } finally {
      if (scope !== "others") await this.#storage.remove(this.#key);
    }
  }

  /** A new guest session (when the service has `anonymous_signin` on). */
  async signInAnonymously(): Promise<Session> {
    return this.#saveSession(await this.#call<TokenResponse>("POST", "/auth/v1/signin/anonymously", { body: {} }));
  }

  /** Sets a forgotten password with a verification token (PASSWORD_RESET for email, or SIGN_IN for a phone). */
  async resetPassword(params: { verification_token: string; new_password: string }): Promise<void> {
    await this.#call("POST", "/auth/v1/reset", { body: params });
  }

  /** Proves it is the user again (password or a verification token of their own contact): a sudo token for 900 s. */
  sudo(params: { password: string } | { verification_token: string }): Promise<SudoToken> {
    return this.#withCaptcha("sudo", (captchaToken) =>
      this.#authorized((bearer) => this.#call("POST", "/auth/v1/user/sudo", { body: params, bearer, captchaToken })),
    );
  }

  /** Sets a new password; this session stays, the user's other sessions end. */
  async setPassword(params: { sudo_token: string; new_password: string }): Promise<void> {
    await this.#authorized((bearer) => this.#call("PATCH", "/auth/v1/user/password", { body: params, bearer }));
  }

  /** Edits the profile; resolves with the user as changed. */
  updateProfile(changes: ProfileChanges): Promise<User> {
    return this.#authorized((bearer) => this.#call<User>("PATCH", "/auth/v1/user/profile", { body: changes, bearer }));
  }

  /** Binds or changes a phone number or email, proven with a verification token for it. */
  async bindContact(params: Contact & { sudo_token: string; verification_token: string }): Promise<void> {
    await this.#authorized((bearer) => this.#call("PATCH", "/auth/v1/user/contact", { body: params, bearer }));
  }

  /** Deletes the account (every session ends) and forgets the session here. */
  async deleteAccount(sudoToken: string): Promise<void> {
    const path = `/auth/v1/user/me?sudo_token=${encodeURIComponent(sudoToken)}`;
    await this.#authorized((bearer) => this.#call("DELETE", path, { bearer }));
    await this.#storage.remove(this.#key);
  }

  /** The signed-in user (refreshing the access token first when it has expired). */
  getUser(): Promise<User> {
    return this.#authorized((bearer) => this.#call<User>("GET", "/auth/v1/user/me", { bearer }));
  }

  /** The stored session, or null when signed out. */
  async getSession(): Promise<Session | null> {
    const text = await this.#storage.get(this.#key);
    if (!text) return null;
    try {
      return JSON.parse(text) as Session;
    } catch {
      return null;
    }
  }

  /** A current access token (refreshed when expired), e.g. for calling your own API. */
  async getAccessToken(): Promise<string> {
    const session = await this.#currentSession();
    return session.access_token;
  }

  /** A captcha challenge: an image (data: URI) with its challenge token, or the Turnstile site key. */
  getCaptcha(): Promise<CaptchaChallenge> {
    return this.#call("POST", "/auth/v1/captcha/data", { body: {} });
  }

  /** Answers an image challenge; resolves with the single-use captcha token. */
  async solveCaptcha(token: string, key: string): Promise<string> {
    const solved = await this.#call<CaptchaToken>("POST", "/auth/v1/captcha/data/verify", { body: { token, key } });
    return solved.captcha_token;
  }

  async #refresh(): Promise<Session> {
    const session = await this.getSession();
    if (!session) throw new AuthError("not_signed_in", 0, "No session to refresh");
    try {
      const tokens = await this.#call<TokenResponse>("POST", "/auth/v1/token", {
        body: { grant_type: "refresh_token", refresh_token: session.refresh_token },
      });
      return await this.#saveSession(tokens);
    } catch (err) {
      if (err instanceof AuthError && err.error === "invalid_grant") await this.#storage.remove(this.#key);
      throw err;
    }
  }

  async #currentSession(): Promise<Session> {
    const session = await this.getSession();
    if (!session) throw new AuthError("not_signed_in", 0, "Sign in first");
    const leeway = (this.#options.refreshLeewaySeconds ?? 30) * 1000;
    return Date.now() + leeway >= session.expires_at ? this.refresh() : session;
  }

  /** Calls with the access token; on a 401 refreshes once and retries once. */
  async #authorized<T>(call: (bearer: string) => Promise<T>): Promise<T> {
    const session = await this.#currentSession();
    try {
      return await call(session.access_token);
    } catch (err) {
      if (!(err instanceof AuthError && err.status === 401)) throw err;
      const renewed = await this.refresh();
      return call(renewed.access_token);
    }
  }

  async #withCaptcha<T>(operation: "signIn" | "sendVerification" | "sudo", attempt: (captchaToken?: string) => Promise<T>): Promise<T> {
    try {
      return await attempt();
    } catch (err) {
      const getToken = this.#options.getCaptchaToken;
      if (!(err instanceof AuthError && err.error === "captcha_required" && getToken)) throw err;
      return attempt(await getToken({ operation }));
    }
  }

  async #saveSession(tokens: TokenResponse): Promise<Session> {
    const session: Session = { ...tokens, expires_at: Date.now() + tokens.expires_in * 1000 };
    await this.#storage.set(this.#key, JSON.stringify(session));
    return session;
  }

  async #call<T>(method: string, path: string, options: CallOptions = {}): Promise<T> {
    const url = new URL(this.#base + path);
    if (this.#options.clientId) url.searchParams.set("client_id", this.#options.clientId);
    const headers: Record<string, string> = { accept: "application/json" };
    if (options.body !== undefined) headers["content-type"] = "application/json";
    if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
    if (options.captchaToken) headers["x-captcha-token"] = options.captchaToken;
    let response: Response;
    try {
      response = await this.#fetch(url.href, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      });
    } catch (err) {
      throw new AuthError("network_error", 0, err instanceof Error ? err.message : "The request failed");
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      throw new AuthError("invalid_response", response.status, `Not JSON (HTTP ${response.status})`);
    }
    if (response.ok) return parsed as T;
    const body = (parsed ?? {}) as {
      error?: AuthErrorName;
      error_code?: number;
      error_description?: string;
      details?: { path: string; message: string }[];
      request_id?: string;
    };
    const retryAfter = Number(response.headers.get("retry-after") ?? NaN);
    throw new AuthError(body.error ?? "invalid_response", response.status, body.error_description ?? `HTTP ${response.status}`, {
      errorCode: body.error_code,
      details: body.details,
      requestId: body.request_id ?? response.headers.get("x-request-id") ?? undefined,
      ...(Number.isFinite(retryAfter) ? { retryAfter } : {}),
    });
  }
}

export function createAuthClient(options: AuthClientOptions): AuthClient {
  return new AuthClient(options);
}
