import { describe, expect, it } from "vitest";
import { jsonOf, result, signin, uniqueName } from "./helpers";
import { asUser, OLD_PASSWORD, signedInAccount } from "./account-helpers";
import { me } from "./sessions-helpers";

const PASSWORD = OLD_PASSWORD;
const signedIn = () => signedInAccount();

const edit = (access: string, body: unknown) => asUser(access, "POST", "/auth/v1/user/basic/edit", { body });
const patch = (access: string, body: unknown) => asUser(access, "PATCH", "/auth/v1/user/profile", { body });
const meOf = async (access: string) => jsonOf(await me(access));

describe("POST /auth/v1/user/basic/edit", () => {
  it("stores nickname, avatar_url, gender, description and username; /user/me shows them as name, picture, ...", async () => {
    const user = await signedIn();
    const username = uniqueName("renamed");
    const body = { nickname: "张三", avatar_url: "https://img.example/a.png", gender: "MALE", description: "hello", username };
    expect(await result(await edit(user.tokens.access_token, body))).toEqual({ status: 200, body: {} });
    expect(await meOf(user.tokens.access_token)).toMatchObject({
      sub: user.sub,
      name: "张三",
      picture: "https://img.example/a.png",
      gender: "MALE",
      description: "hello",
      username,
    });
    expect((await signin({ username, password: PASSWORD })).status).toBe(200);
  });

  it("clears a field sent as an empty string and leaves absent ones", async () => {
    const user = await signedIn();
    await edit(user.tokens.access_token, { nickname: "N", description: "d" });
    await edit(user.tokens.access_token, { nickname: "" });
    expect(await meOf(user.tokens.access_token)).toMatchObject({ name: null, description: "d" });
  });

  it("answers a taken username with failed_precondition and changes nothing", async () => {
    const user = await signedIn();
    const other = await signedIn();
    expect(await result(await edit(user.tokens.access_token, { username: other.username, nickname: "X" }))).toMatchObject({
      status: 400,
      body: { error: "failed_precondition", error_code: 4120 },
    });
    expect(await meOf(user.tokens.access_token)).toMatchObject({ username: user.username, name: null });
  });

  it.each([
    ["an http avatar", { avatar_url: "http://img.example/a.png" }],
    ["a non-URL avatar", { avatar_url: "avatar.png" }],
    ["an unknown gender", { gender: "OTHER" }],
    ["a bad username", { username: "has space" }],
    ["a 65-character nickname", { nickname: "x".repeat(65) }],
  ])("refuses %s with 400 invalid_argument and changes nothing", async (_case, body) => {
    const user = await signedIn();
    expect(await result(await edit(user.tokens.access_token, { ...body, description: "changed?" }))).toMatchObject({
      status: 400,
      body: { error: "invalid_argument" },
    });
    expect(await meOf(user.tokens.access_token)).toMatchObject({ description: null });
  });

  it("needs a live session", async () => {
    expect((await edit("nope", { nickname: "x" })).status).toBe(401);
  });
});

describe("PATCH /auth/v1/user/profile", () => {
  it("answers the whole user, as /user/me shows it", async () => {
    const user = await signedIn();
    const answer = await result(await patch(user.tokens.access_token, { name: "Li", picture: "https://img.example/b.png", gender: "FEMALE" }));
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(await meOf(user.tokens.access_token));
    expect(answer.body).toMatchObject({ name: "Li", picture: "https://img.example/b.png", gender: "FEMALE", username: user.username });
  });
});
