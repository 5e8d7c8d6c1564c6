// The admin switches, in one table: each sign-in method an operator can turn off, what it is
// called in answers and the variable that sets its default. The settings type, the config
// variables and defaults, the admin API's schema and the OpenAPI document are all derived from
// this table, so adding a switch is one entry here (and its gate, `requireEnabled`, in the use case).
import * as v from "valibot";

export const SWITCHES = {
  username_password_signin: { what: "Username/password sign-in", variable: "USERNAME_PASSWORD_SIGNIN", default: true },
  verification_signin: { what: "Verification-code sign-in", variable: "VERIFICATION_SIGNIN", default: true },
  signup: { what: "Sign-up", variable: "SIGNUP", default: true },
  // The js-sdk recognises "anonymous login is not enabled" and says so to the developer.
  anonymous_signin: { what: "Anonymous login", variable: "ANONYMOUS_SIGNIN", default: false },
} as const satisfies Record<string, { what: string; variable: string; default: boolean }>;

export type SwitchName = keyof typeof SWITCHES;
export const SWITCH_NAMES = Object.keys(SWITCHES) as SwitchName[];

/** One schema entry per switch (`make` builds each): for valibot objects keyed by switch name. */
export function perSwitch<T>(make: (name: SwitchName) => T): { [K in SwitchName]: T } {
  return Object.fromEntries(SWITCH_NAMES.map((name) => [name, make(name)])) as { [K in SwitchName]: T };
}

type SwitchVariable = (typeof SWITCHES)[SwitchName]["variable"];

/** One schema entry per switch's variable (its default from the table): for the config schema. */
export function perSwitchVariable<T>(make: (fallback: boolean) => T): { [V in SwitchVariable]: T } {
  return Object.fromEntries(SWITCH_NAMES.map((name) => [SWITCHES[name].variable, make(SWITCHES[name].default)])) as {
    [V in SwitchVariable]: T;
  };
}

/** The switches' defaults from the parsed variables. */
export function switchDefaults(variables: { [V in SwitchVariable]: boolean }): { [K in SwitchName]: boolean } {
  return perSwitch((name) => variables[SWITCHES[name].variable]);
}

/** The switches as booleans, for response schemas. */
export const switchBooleans = () => perSwitch(() => v.boolean());
