import { describe, expect, it } from "vitest";
import { jsonOf, result, signin } from "./helpers";
import { asUser, expectAlive, expectDead } from "./account-helpers";
import { PASSWORD, signedInUser, type Tokens } from "./sessions-helpers";

async function threeSessions() {
  const first = await signedInUser();
  const more = [];
  for (let i = 0; i < 2; i++) more.push(await jsonOf<Tokens>(await signin({ username: first.username, password: PASSWORD })));
  return { mine: first.tokens, others: more };
}

const signOut = (access: string, body: unknown) => asUser(access, "POST", "/auth/v1/user/signout", { body });

describe("POST /auth/v1/user/signout", () => {
  it("{} ends the bearer's session only, answering 200 {}", async () => {
    const { mine, others } = await threeSessions();
    expect(await result(await signOut(mine.access_token, {}))).toEqual({ status: 200, body: {} });
    await expectDead(mine);
    for (const other of others) await expectAlive(other);
  });

  it("ignores the fields the clients pass through (redirect_uri, state)", async () => {
    const { mine } = await threeSessions();
    expect((await signOut(mine.access_token, { redirect_uri: "https://app.example/", state: "x" })).status).toBe(200);
    await expectDead(mine);
  });

  it('{scope: "global"} ends every session of the user', async () => {
    const { mine, others } = await threeSessions();
    expect(await result(await signOut(mine.access_token, { scope: "global" }))).toEqual({ status: 200, body: {} });
    for (const tokens of [mine, ...others]) await expectDead(tokens);
  });

  it('{scope: "others"} ends every session but the bearer\'s', async () => {
    const { mine, others } = await threeSessions();
    expect((await signOut(mine.access_token, { scope: "others" })).status).toBe(200);
    await expectAlive(mine);
    for (const tokens of others) await expectDead(tokens);
  });

  it("refuses an unknown scope with 400 invalid_argument and ends nothing", async () => {
    const { mine } = await threeSessions();
    expect(await result(await signOut(mine.access_token, { scope: "everything" }))).toMatchObject({
      status: 400,
      body: { error: "invalid_argument" },
    });
    await expectAlive(mine);
  });

  it("answers 401 unauthenticated without a live session", async () => {
    const { mine } = await threeSessions();
    await signOut(mine.access_token, {});
    expect(await result(await signOut(mine.access_token, {}))).toMatchObject({ status: 401, body: { error: "unauthenticated" } });
    expect((await signOut("not-a-token", {})).status).toBe(401);
  });
});

describe("DELETE /auth/v1/user/revoke/all", () => {
  it("ends every session of the user, the bearer's included, and answers 200 {}", async () => {
    const { mine, others } = await threeSessions();
    const response = await asUser(mine.access_token, "DELETE", "/auth/v1/user/revoke/all");
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await result(response)).toEqual({ status: 200, body: {} });
    for (const tokens of [mine, ...others]) await expectDead(tokens);
  });

  it("leaves other users' sessions alone", async () => {
    const { mine } = await threeSessions();
    const stranger = await signedInUser();
    await asUser(mine.access_token, "DELETE", "/auth/v1/user/revoke/all");
    await expectAlive(stranger.tokens);
  });
});
