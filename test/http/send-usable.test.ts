import { describe, expect, it } from "vitest";
import { result } from "./helpers";
import { codeLines, consoleLog, sendCode, uniqueEmail, uniqueIp, uniquePhone } from "./verification-helpers";

const bothOff = { VERIFICATION_SIGNIN: "false", SIGNUP: "false" };

describe("POST /auth/v1/verification when nothing could use the code", () => {
  it.each(["SIGN_IN", "REGISTER"])("answers 501 unimplemented for a %s code with code sign-in and sign-up both off, counting nothing", async (usage) => {
    consoleLog();
    const phone = uniquePhone();
    const ip = uniqueIp();
    const vars = { ...bothOff, SENDS_PER_IP_PER_HOUR: "1" };
    for (let i = 0; i < 3; i++) {
      const answer = await result(await sendCode({ phone_number: phone, usage }, { ip, vars }));
      expect(answer).toMatchObject({ status: 501, body: { error: "unimplemented", error_code: 5010 } });
      expect(String(answer.body.error_description)).toContain("verification_signin");
    }
    expect(codeLines().filter((line) => line.to === phone)).toEqual([]);
    // Neither the contact's cooldown nor the IP's budget was touched.
    expect((await sendCode({ phone_number: phone, usage }, { ip, vars: { SENDS_PER_IP_PER_HOUR: "1" } })).status).toBe(200);
  });

  it("still sends when either method is on", async () => {
    consoleLog();
    expect((await sendCode({ email: uniqueEmail() }, { vars: { VERIFICATION_SIGNIN: "false" } })).status).toBe(200);
    expect((await sendCode({ email: uniqueEmail() }, { vars: { SIGNUP: "false" } })).status).toBe(200);
  });
});
