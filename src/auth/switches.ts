// The admin switches as a gate: a method switched off answers 501 `unimplemented`, saying which
// method it is and how to switch it on (contract §1).
import type { Settings } from "../config";
import { ApiError } from "../errors";
import type { Services } from "../services";

type FlatSwitch = Exclude<keyof Settings, "provider_signin">;

const SWITCHES: Record<FlatSwitch, { what: string; variable: string }> = {
  username_password_signin: { what: "Username/password sign-in", variable: "USERNAME_PASSWORD_SIGNIN" },
  verification_signin: { what: "Verification-code sign-in", variable: "VERIFICATION_SIGNIN" },
  signup: { what: "Sign-up", variable: "SIGNUP" },
};

export async function requireEnabled(services: Services, setting: FlatSwitch): Promise<void> {
  const settings = await services.settings.read(services.config.settingDefaults);
  if (settings[setting]) return;
  const { what, variable } = SWITCHES[setting];
  throw new ApiError("unimplemented", {
    description: `${what} is not enabled. Enable it with PATCH /auth/v1/admin/settings {"${setting}":true} or ${variable}=true`,
  });
}

/** Sign-in with one configured provider: its `provider_signin` switch. */
export async function requireProviderEnabled(services: Services, providerId: string): Promise<void> {
  const settings = await services.settings.read(services.config.settingDefaults);
  if (settings.provider_signin[providerId]) return;
  throw new ApiError("unimplemented", {
    description: `Sign-in with provider ${providerId} is not enabled. Enable it with PATCH /auth/v1/admin/settings {"provider_signin":{"${providerId}":true}} or "signin":true in its AUTH_PROVIDERS entry`,
  });
}
