// Helpers shared by the verification, code sign-in and signup tests: unique contacts and IPs, and
// the code flow (send, read the code from the console sender's line, verify).
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect, vi, type MockInstance } from "vitest";
import { STATE_KEY } from "../../src/contacts/contact-object";
import type { ContactState } from "../../src/contacts/contact-state";
import { contactObjectName } from "../../src/storage/contact-routes";
import { call, callWith, jsonOf, type CallOptions } from "./helpers";

const digits = (count: number) =>
  Array.from(crypto.getRandomValues(new Uint8Array(count)), (byte) => String(byte % 10)).join("");

/** A valid mainland China mobile number no other test uses, in the stored (spaced) form. */
export const uniquePhone = () => `+86 139${digits(8)}`;
export const uniqueEmail = () => `v${crypto.randomUUID().slice(0, 12)}@example.com`;
/** Each test its own client IP, so the per-IP captcha threshold is not shared between tests. */
export const uniqueIp = () => `10.${digits(2)}.${digits(2)}.${digits(2)}`;

export interface SendOptions extends CallOptions {
  ip?: string;
  /** Variables to override (runs the Worker through callWith). */
  vars?: Record<string, string>;
  query?: string;
}

function send(path: string, body: unknown, options: SendOptions = {}): Promise<Response> {
  const headers = { "cf-connecting-ip": options.ip ?? uniqueIp(), ...options.headers };
  const full = options.query ? `${path}?${options.query}` : path;
  const request = { ...options, body, headers };
  return options.vars ? callWith(options.vars, "POST", full, request) : call("POST", full, request);
}

export const sendCode = (body: unknown, options?: SendOptions) => send("/auth/v1/verification", body, options);
export const verifyCode = (body: unknown, options?: SendOptions) => send("/auth/v1/verification/verify", body, options);
export const postWith = (path: string, body: unknown, options?: SendOptions) => send(path, body, options);

/** Spies on console.log (once) so the console sender's lines can be read. */
export function consoleLog(): MockInstance<typeof console.log> {
  return vi.isMockFunction(console.log) ? (console.log as never) : vi.spyOn(console, "log");
}

export interface CodeLine {
  type: string;
  channel: string;
  to: string;
  code: string;
  usage: string;
  expires_in: number;
}

/** Every line the console sender wrote so far, oldest first. */
export function codeLines(): CodeLine[] {
  return consoleLog()
    .mock.calls.map((args) => String(args[0]))
    .filter((line) => line.includes('"type":"verification_code"'))
    .map((line) => JSON.parse(line) as CodeLine);
}

export function lastCodeTo(to: string): string {
  const line = codeLines().filter((item) => item.to === to).at(-1);
  if (!line) throw new Error("no code was logged for this contact");
  return line.code;
}

export type ContactBody = { phone_number: string } | { email: string };

export const contactOf = (to: string): ContactBody => (to.includes("@") ? { email: to } : { phone_number: to });

/** Sends a code to `to` (normalised form) and returns the verification id and the code. */
export async function requestCode(
  to: string,
  extra: Record<string, unknown> = {},
  options: SendOptions = {},
): Promise<{ id: string; code: string }> {
  consoleLog();
  const response = await sendCode({ ...contactOf(to), ...extra }, options);
  expect(response.status, await response.clone().text()).toBe(200);
  const body = await jsonOf<{ verification_id: string }>(response);
  return { id: body.verification_id, code: lastCodeTo(to) };
}

/** The whole flow up to a verification_token for `to`. */
export async function verifiedToken(to: string, usage = "SIGN_IN", options: SendOptions = {}): Promise<string> {
  const { id, code } = await requestCode(to, { usage }, options);
  const response = await verifyCode({ verification_id: id, verification_code: code }, options);
  expect(response.status).toBe(200);
  return (await jsonOf<{ verification_token: string }>(response)).verification_token;
}

/** The verification ids and tokens the service hands out: `<sealed contact>.<secret>`, URL-safe. */
export const ROUTED_SECRET = /^[A-Za-z0-9_-]{40,}\.[A-Za-z0-9_-]{43}$/;

/** What the contact's Durable Object holds, for facts the API does not show (`to` in normalised form). */
export async function contactState(to: string): Promise<ContactState | undefined> {
  const name = contactObjectName(to.includes("@") ? { kind: "email", value: to } : { kind: "phone", value: to });
  const stub = env.CONTACTS.get(env.CONTACTS.idFromName(name));
  return runInDurableObject(stub, (_instance, state) => state.storage.kv.get<ContactState>(STATE_KEY));
}

/** A code that is certainly not `code`. */
export const wrongCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, "0");
