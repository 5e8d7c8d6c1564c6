// The admin switches as a gate: a method switched off answers 501 `unimplemented`, saying which
// method it is and how to switch it on (contract §1).
import type { Settings } from "../config";
import { ApiError } from "../errors";
import type { Services } from "../services";

const SWITCHES: Record<keyof Settings, { what: string; variable: string }> = {
  username_password_signin: { what: "Username/password sign-in", variable: "USERNAME_PASSWORD_SIGNIN" },
  verification_signin: { what: "Verification-code sign-in", variable: "VERIFICATION_SIGNIN" },
  signup: { what: "Sign-up", variable: "SIGNUP" },
  // The js-sdk recognises "anonymous login is not enabled" and says so to the developer.
  anonymous_signin: { what: "Anonymous login", variable: "ANONYMOUS_SIGNIN" },
};

export async function requireEnabled(services: Services, setting: keyof Settings): Promise<void> {
  const settings = await services.settings.read(services.config.settingDefaults);
  if (settings[setting]) return;
  const { what, variable } = SWITCHES[setting];
  throw new ApiError("unimplemented", {
    description: `${what} is not enabled. Enable it with PATCH /auth/v1/admin/settings {"${setting}":true} or ${variable}=true`,
  });
}
