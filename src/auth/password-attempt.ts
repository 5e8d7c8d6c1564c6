// The whole username/password attempt in the order of contract §2: per-IP limit, account
// lockout (reserved in the Durable Object before hashing), captcha, password, then the outcome
// settled in the Durable Object and, for a failure, counted against the client IP.
import { redeemCaptchaToken } from "../captcha/gate";
import { ApiError } from "../errors";
import { rateWindow, retryAfter } from "../limits/rate-windows";
import { accountKey, admitAttempt, settleAttempt } from "../lockout/account-guard";
import type { Settlement } from "../lockout/policy";
import { logAuthEvent, pseudonym } from "../observability/auth-events";
import type { Services } from "../services";
import type { SigninIdentifier } from "./identifiers";
import { checkPasswordAndSignIn, findSigninUser, outcomeError, type PasswordOutcome } from "./password-signin";
import type { TokenResponse } from "./session-issuer";

export interface PasswordAttempt {
  identifier: SigninIdentifier;
  password: string;
  captchaToken: string | undefined;
  /** From CF-Connecting-IP only; null outside Cloudflare's edge (local development). */
  clientIp: string | null;
  requestId: string;
}

const HOUR_MS = 3_600_000;

/** Only evaluated wrong credentials count; a blocked user or a missing password count nothing. */
function settlementOf(outcome: PasswordOutcome | "captcha_invalid" | undefined): Settlement {
  if (outcome === undefined || outcome === "captcha_invalid") return "neutral";
  if (outcome.kind === "signed_in") return "success";
  return outcome.kind === "wrong_credentials" ? "failure" : "neutral";
}

export async function signInWithPassword(services: Services, attempt: PasswordAttempt): Promise<TokenResponse> {
  const { env, config } = services;
  const ipRule = { limit: config.ipFailuresPerHour, windowMs: HOUR_MS };
  const ipKey = attempt.clientIp ? `ip-failures:${attempt.clientIp}` : undefined;
  // The per-IP verdict and the user lookup are independent reads: one round trip instead of two.
  // A limited IP still gets 429 before anything is reserved, counted or hashed.
  const [verdict, user] = await Promise.all([
    ipKey ? rateWindow(env, ipKey, "check", ipRule) : undefined,
    findSigninUser(services, attempt.identifier),
  ]);
  if (verdict && !verdict.allowed) throw new ApiError("rate_limit_exceeded", { headers: retryAfter(verdict) });

  const key = accountKey(user?.id, attempt.identifier.normalized);
  const admission = await admitAttempt(env, key, config.lockout, attempt.captchaToken !== undefined);
  if (admission.kind === "locked") {
    throw new ApiError("invalid_status", {
      description: "Too many failed attempts: this account is temporarily locked",
      headers: { "Retry-After": String(admission.retryAfterSeconds) },
    });
  }
  if (admission.kind === "captcha_required") throw new ApiError("captcha_required");

  let outcome: PasswordOutcome | "captcha_invalid" | undefined;
  try {
    // A token sent when none is needed is neither verified nor spent.
    const captchaOk =
      !admission.captchaRequired || (await redeemCaptchaToken(services, attempt.captchaToken!, attempt.clientIp));
    outcome = captchaOk ? await checkPasswordAndSignIn(services, user, attempt.password) : "captcha_invalid";
  } finally {
    // Settled whatever happened; an attempt that threw is released without counting.
    const settlement = settlementOf(outcome);
    const [lockSeconds] = await Promise.all([
      settleAttempt(env, key, config.lockout, admission.reservationId, settlement),
      settlement === "failure" && ipKey ? rateWindow(env, ipKey, "record", ipRule) : undefined,
    ]);
    if (lockSeconds !== null) {
      const account = user ? user.id : await pseudonym(attempt.identifier.normalized);
      logAuthEvent(attempt.requestId, { event: "account.locked", account, lock_seconds: lockSeconds });
    }
  }
  if (outcome === "captcha_invalid") throw new ApiError("captcha_invalid");
  if (outcome.kind !== "signed_in") throw outcomeError(outcome);
  return outcome.tokens;
}
