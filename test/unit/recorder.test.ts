// The answer recorder itself (test/recorder.ts): what it lets through and what it reports.
import { afterEach, describe, expect, it } from "vitest";
import { recordAnswer, takeMismatches } from "../recorder";

const user = {
  sub: "1234567890123456789",
  username: "someone",
  name: null,
  picture: null,
  gender: null,
  description: null,
  phone_number: null,
  email: null,
  status: "ACTIVE",
  created_at: "2026-11-30T00:00:00.000Z",
  updated_at: "2026-11-30T00:00:00.000Z",
  has_password: true,
};

const getMe = () => new Request("https://auth.test/auth/v1/user/me");
const errorAnswer = (error: string, code: number, status: number) =>
  Response.json({ error, error_code: code, error_description: "text" }, { status });

afterEach(() => {
  takeMismatches();
});

describe("the answer recorder", () => {
  it("passes an answer that matches its operation's declaration", async () => {
    await recordAnswer(getMe(), Response.json(user));
    await recordAnswer(getMe(), errorAnswer("unauthenticated", 4010, 401));
    expect(takeMismatches()).toEqual([]);
  });

  it("reports a field the declared schema does not have", async () => {
    await recordAnswer(getMe(), Response.json({ ...user, extra: 1 }));
    expect(takeMismatches()).toEqual([expect.stringContaining("GET /auth/v1/user/me (getUser): the body does not match")]);
  });

  it("reports an error the operation does not declare, and a status other than the catalogue's", async () => {
    await recordAnswer(getMe(), errorAnswer("captcha_required", 4028, 400));
    await recordAnswer(getMe(), errorAnswer("unauthenticated", 4010, 400));
    expect(takeMismatches()).toEqual([
      expect.stringContaining("`captcha_required`, which the operation does not declare"),
      expect.stringContaining("`unauthenticated` with status 400"),
    ]);
  });

  it("reports a success with another status than declared", async () => {
    await recordAnswer(new Request("https://auth.test/auth/v1/admin/users", { method: "POST" }), Response.json(user));
    expect(takeMismatches()).toEqual([expect.stringContaining("status 200, declared 201")]);
  });
});
