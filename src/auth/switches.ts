// The admin switches as a gate: a method switched off answers 501 `unimplemented`, saying which
// method it is and how to switch it on (docs/protocol.md §1).
import { ApiError } from "../errors";
import { SWITCHES, type SwitchName } from "./switch-table";
import type { Services } from "../services";
import { SIGNIN_USAGES, type Usage } from "./verification-contact";

/** The gate every use case of a switchable method starts with (the switches: switch-table.ts). */
export async function requireEnabled(services: Services, setting: SwitchName): Promise<void> {
  const settings = await services.settings.read(services.config.settingDefaults);
  if (settings[setting]) return;
  const { what, variable } = SWITCHES[setting];
  throw new ApiError("unimplemented", {
    description: `${what} is not enabled. Enable it with PATCH /auth/v1/admin/settings {"${setting}":true} or ${variable}=true`,
  });
}

/**
 * A code nobody could use is not sent: with code sign-in and sign-up both off, a SIGN_IN or
 * REGISTER code would only cost an SMS (and let anyone spam a contact). Checked before anything
 * is counted. (PASSWORD_RESET codes are for the reset flow, not for these two methods.)
 */
export async function requireCodeUsable(services: Services, usage: Usage): Promise<void> {
  if (!SIGNIN_USAGES.phone.includes(usage) && !SIGNIN_USAGES.email.includes(usage)) return;
  const settings = await services.settings.read(services.config.settingDefaults);
  if (settings.verification_signin || settings.signup) return;
  throw new ApiError("unimplemented", {
    description:
      'No enabled method can use this code: verification_signin and signup are both off. Enable one with PATCH /auth/v1/admin/settings {"verification_signin":true} or VERIFICATION_SIGNIN=true',
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
