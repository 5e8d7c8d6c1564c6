// POST /auth/v1/signup: a user from a verified phone or email (contract §4).
import type { Hono } from "hono";
import * as v from "valibot";
import { USERNAME_PATTERN } from "../auth/identifiers";
import { signUp } from "../auth/signup";
import { ApiError } from "../errors";
import { deferFor } from "../http/background";
import { readBody } from "../http/body";
import type { AppEnv } from "../http/context";
import { endpoint } from "../http/endpoint";
import { servicesFor } from "../services";
import { Name, Password } from "./schemas";
import { NO_STORE } from "./token-response";

// An empty optional field is treated as absent: clients send "" for what the user left blank.
const blankAsAbsent = <T extends v.GenericSchema<string, string>>(schema: T) =>
  v.pipe(
    v.optional(v.string()),
    v.transform((value) => (value === "" ? undefined : value)),
    v.optional(schema),
  );

// phone_number, email and verification_code that clients also send are ignored: the contact is
// the one the token proves.
export const SignupBody = v.object({
  verification_token: v.optional(v.pipe(v.string(), v.nonEmpty())),
  username: blankAsAbsent(
    v.pipe(v.string(), v.regex(USERNAME_PATTERN, "must be 2-48 letters, digits or . _ : + @ -, starting with a letter or digit")),
  ),
  password: blankAsAbsent(Password),
  name: blankAsAbsent(Name),
});

export function registerSignup(app: Hono<AppEnv>): void {
  endpoint(app, "/auth/v1/signup", {
    POST: async (c) => {
      const body = await readBody(c.req.raw, SignupBody);
      if (body.verification_token === undefined) {
        throw new ApiError("invalid_argument", {
          details: [{ path: "verification_token", message: "required: verify a phone number or email first" }],
        });
      }
      const request = {
        verificationToken: body.verification_token,
        username: body.username,
        password: body.password,
        name: body.name,
      };
      const tokens = await signUp(servicesFor(c.env), request, deferFor(c));
      return c.json(tokens, 200, NO_STORE);
    },
  });
}
