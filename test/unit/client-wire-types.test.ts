// The typed client's request types against the body schemas the operations declare: whatever the
// client's types let an app send, the route accepts (checked by the type checker in `npm run
// typecheck`; the client keeps narrower types, e.g. exactly one contact). Its answer types are the
// answers' schemas themselves (src/api/answers.ts).
import type * as v from "valibot";
import { describe, expectTypeOf, it } from "vitest";
import type { ProfileChanges, SendVerificationParams, SignUpParams, VerifyParams } from "../../src/client";
import type { SigninBody } from "../../src/routes/signin";
import type { SignupBody } from "../../src/routes/signup";
import type { ResetBody, SetPasswordBody, SudoBody } from "../../src/routes/user-password";
import type { ProfileBody } from "../../src/routes/user-profile";
import type { SendBody, VerifyBody } from "../../src/routes/verification";

describe("the typed client's request types", () => {
  it("fit the bodies the operations declare", () => {
    expectTypeOf<{ username: string; password: string }>().toMatchTypeOf<v.InferInput<typeof SigninBody>>();
    expectTypeOf<SendVerificationParams>().toMatchTypeOf<v.InferInput<typeof SendBody>>();
    expectTypeOf<VerifyParams>().toMatchTypeOf<v.InferInput<typeof VerifyBody>>();
    expectTypeOf<SignUpParams>().toMatchTypeOf<v.InferInput<typeof SignupBody>>();
    expectTypeOf<ProfileChanges>().toMatchTypeOf<v.InferInput<typeof ProfileBody>>();
    expectTypeOf<{ verification_token: string; new_password: string }>().toMatchTypeOf<v.InferInput<typeof ResetBody>>();
    expectTypeOf<{ password: string } | { verification_token: string }>().toMatchTypeOf<v.InferInput<typeof SudoBody>>();
    expectTypeOf<{ sudo_token: string; new_password: string }>().toMatchTypeOf<v.InferInput<typeof SetPasswordBody>>();
  });
});
