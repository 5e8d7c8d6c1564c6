// Every admin switch is one entry of src/auth/switch-table.ts; the config variables and defaults,
// the settings type, the admin schema and the OpenAPI answer are derived from it.
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { SWITCHES, SWITCH_NAMES } from "../../src/auth/switch-table";
import { parseConfig } from "../../src/config";
import { Settings as SettingsAnswer } from "../../src/api/answers";
import { SettingsPatch } from "../../src/routes/admin-settings";

const BASE = { ISSUER: "https://auth.test", AUDIENCE: "aud", JWT_SIGNING_KEYS: "{}" };

describe("the switch table", () => {
  it("gives every switch its default from the table, and its variable sets it", () => {
    const defaults = parseConfig(BASE).settingDefaults;
    for (const name of SWITCH_NAMES) {
      expect(defaults[name]).toBe(SWITCHES[name].default);
      const flipped = parseConfig({ ...BASE, [SWITCHES[name].variable]: String(!SWITCHES[name].default) }).settingDefaults;
      expect(flipped[name]).toBe(!SWITCHES[name].default);
    }
  });

  it("is what the admin API accepts and the OpenAPI answer lists", () => {
    for (const name of SWITCH_NAMES) {
      expect(v.parse(SettingsPatch, { [name]: false })).toEqual({ [name]: false });
      expect(Object.keys(SettingsAnswer.entries)).toContain(name);
    }
    expect(v.safeParse(SettingsPatch, { signup: "yes" }).success).toBe(false);
  });
});
