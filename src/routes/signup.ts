// POST /auth/v1/signup: a user from a verified phone or email (docs/protocol.md §4).
import type { Hono } from "hono";
import * as v from "valibot";
import { USERNAME_PATTERN } from "../auth/identifiers";
import { signUpWithIdentity } from "../auth/provider-accounts";
import { signUp } from "../auth/signup";
import { ApiError } from "../errors";
import { deferFor } from "../http/background";
import type { AppEnv } from "../http/context";
import { servicesFor } from "../services";
import { presentedIdentity } from "./providers";
import { Name, Password } from "./schemas";
import { NO_STORE } from "./token-response";
import { endpoint, operation } from "./operation";
import { TokenResponse } from "../api/answers";

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
  /** From POST /auth/v1/provider/token (or an ID token): a user with that identity linked. */
  provider_token: v.optional(v.pipe(v.string(), v.nonEmpty(), v.maxLength(8192))),
  username: blankAsAbsent(
    v.pipe(v.string(), v.regex(USERNAME_PATTERN, "must be 2-48 letters, digits or . _ : + @ -, starting with a letter or digit")),
  ),
  password: blankAsAbsent(Password),
  name: blankAsAbsent(Name),
});

export function registerSignup(app: Hono<AppEnv>): void {
  endpoint(app, "/auth/v1/signup", {
    POST: operation({
      operationId: "signUp",
      tag: "Sign-in",
      summary: "Create a user from a verified phone number or email, or from a provider identity",
      description:
        "The contact is the one the `verification_token` proves (fields `phone_number`, `email`, `verification_code` that clients also send are ignored). A taken username or contact is 409 and does not consume the token.",
      body: SignupBody,
      bodyRules: {
        oneOf: [
          { required: ["verification_token"], title: "verified contact" },
          { required: ["provider_token"], title: "provider identity" },
        ],
      },
      success: { status: 200, description: "The new user, signed in", schema: TokenResponse, headers: NO_STORE },
      errors: ["invalid_argument", "invalid_grant", "already_exists", "failed_precondition", "unimplemented"],
      handle: async (c, { body }) => {
        if (body.verification_token === undefined && body.provider_token !== undefined) {
          const services = servicesFor(c.env);
          const presented = await presentedIdentity(services, body.provider_token);
          const tokens = await signUpWithIdentity(services, presented, {
            username: body.username,
            passwordHash: body.password === undefined ? null : await services.hasher.hash(body.password),
            name: body.name,
          });
          return tokens;
        }
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
        return tokens;
      },
    }),
  });
}
