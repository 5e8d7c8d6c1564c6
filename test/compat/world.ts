// The server side of a compatibility test: a Worker env with fixed codes (TEST_OTP) for fresh
// contacts, a browser page with its own client IP, users made through the admin API, and the
// image captcha solved the way a person would (the answer only exists in the picture, so the
// test opens the challenge token with the Worker's own codec and secret to read it).
import { env } from "cloudflare:workers";
import { afterAll, beforeAll } from "vitest";
import { answerOf } from "../http/captcha-helpers";
import { createUser, uniqueName, type CreatedUser } from "../http/helpers";
import { API_ORIGIN, BrowserPage, installBrowserGlobals } from "./browser";

export const OTP_CODE = "246813";
export const PASSWORD = "correct horse battery staple";

const digits = (count: number) => Array.from(crypto.getRandomValues(new Uint8Array(count)), (b) => b % 10).join("");

export interface World {
  page: BrowserPage;
  /** Fresh phone numbers (spaced form) and emails whose code is always OTP_CODE. */
  phones: string[];
  emails: string[];
}

/**
 * A fresh page and contacts for one test; TEST_OTP lists the contacts, so no sender is needed.
 * `vars` override the Worker's variables for this page (thresholds, switches, AUTH_PROVIDERS).
 */
export function openWorld(count = 3, vars: Record<string, string> = {}): World {
  const phones = Array.from({ length: count }, () => `+86 139${digits(8)}`);
  const emails = Array.from({ length: count }, () => `${uniqueName("otp")}@compat.test`);
  const testOtp = Object.fromEntries([...phones, ...emails].map((contact) => [contact, OTP_CODE]));
  const page = new BrowserPage({
    env: { ...env, ...vars, TEST_OTP: JSON.stringify(testOtp) },
    clientIp: `198.18.${digits(2)}.${1 + Number(digits(2))}`,
  });
  currentPage = page;
  return { page, phones, emails };
}

let currentPage: BrowserPage | undefined;

/**
 * Installs the browser globals for a test file and routes the clients' `fetch` to the page of the
 * running test (the clients read the global `fetch` at call time).
 */
export function useBrowser(): void {
  const scope = globalThis as Record<string, unknown>;
  const original = globalThis.fetch;
  beforeAll(() => {
    installBrowserGlobals();
    scope.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      const url = input instanceof Request ? input.url : String(input);
      if (!url.startsWith(API_ORIGIN) || !currentPage) return original(input, init);
      return currentPage.fetch(input, init);
    };
  });
  afterAll(() => {
    scope.fetch = original;
  });
}

export async function makeUser(fields: { phone?: string; email?: string; password?: string | null } = {}): Promise<CreatedUser> {
  return createUser({
    username: uniqueName("compat"),
    ...(fields.password === null ? {} : { password: fields.password ?? PASSWORD }),
    ...(fields.phone ? { phone_number: fields.phone } : {}),
    ...(fields.email ? { email: fields.email } : {}),
  });
}

/** The challenge token inside the URL the clients hand to `openURIWithCallback`. */
export function challengeTokenOf(url: string): string {
  const token = new URLSearchParams(url.slice(url.lastIndexOf("?") + 1)).get("token");
  if (!token) throw new Error("no captcha token in the URL given to openURIWithCallback");
  return token;
}

/** Looks at the picture, so to speak: the challenge's answer (four characters, as the clients' dialog takes). */
export async function readCaptchaPicture(challengeToken: string): Promise<string> {
  return answerOf(challengeToken);
}

export interface CaptchaToken {
  captcha_token: string;
  expires_in: number;
}

/**
 * An `openURIWithCallback` hook that does what the clients' built-in dialog does: show the
 * picture, take the answer, and exchange it through the client's own `verifyCaptchaData`.
 */
export function captchaSolver(verify: (params: { token: string; key: string }) => Promise<CaptchaToken>) {
  const urls: string[] = [];
  const openURIWithCallback = async (url: string): Promise<CaptchaToken> => {
    urls.push(url);
    const token = challengeTokenOf(url);
    return verify({ token, key: await readCaptchaPicture(token) });
  };
  return { urls, openURIWithCallback };
}

/** A refresh straight from the page (not through a client): what the server says of a refresh token now. */
export async function refreshWith(page: BrowserPage, refreshToken: string | null | undefined): Promise<{ error?: string }> {
  const response = await page.fetch(`${API_ORIGIN}/auth/v1/token`, {
    method: "POST",
    body: JSON.stringify({ grant_type: "refresh_token", refresh_token: refreshToken }),
  });
  return (await response.json()) as { error?: string };
}
