// Helpers for the account-lifecycle tests: bearer calls, sudo tokens and the "is this session dead" check.
import { expect } from "vitest";
import { call, createUser, jsonOf, result, signin, uniqueName, type CallOptions } from "./helpers";
import { me, refresh, type Tokens } from "./sessions-helpers";

export const OLD_PASSWORD = "the old password";

/** A fresh user (with `fields`, e.g. a contact) signed in once with OLD_PASSWORD. */
export async function signedInAccount(fields: Record<string, unknown> = {}) {
  const username = uniqueName("acct");
  const user = await createUser({ username, password: OLD_PASSWORD, ...fields });
  const tokens = await jsonOf<Tokens>(await signin({ username, password: OLD_PASSWORD }));
  return { ...user, username, tokens };
}

export const bearer = (access: string) => ({ authorization: `Bearer ${access}` });

/** A call with the access token; `options.headers` add to it. */
export const asUser = (access: string, method: string, path: string, options: CallOptions = {}) =>
  call(method, path, { ...options, headers: { ...bearer(access), ...options.headers } });

export async function sudo(access: string, body: Record<string, unknown>, query = ""): Promise<{ status: number; body: Record<string, unknown> }> {
  return result(await asUser(access, "POST", `/auth/v1/user/sudo${query}`, { body, headers: { "cf-connecting-ip": "192.0.2.77" } }));
}

export async function sudoToken(access: string, password: string): Promise<string> {
  const answer = await sudo(access, { password });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.sudo_token as string;
}

export async function expectDead(tokens: { access_token: string; refresh_token: string }): Promise<void> {
  expect((await me(tokens.access_token)).status).toBe(401);
  expect(await result(await refresh(tokens.refresh_token))).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
}

export async function expectAlive(tokens: { access_token: string }): Promise<void> {
  expect((await me(tokens.access_token)).status).toBe(200);
}
