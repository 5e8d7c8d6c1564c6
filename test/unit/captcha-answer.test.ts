// Captcha answers must fit the captcha dialog built into the CloudBase clients (input maxLength 4).
import { describe, expect, it } from "vitest";
import { CAPTCHA_ALPHABET } from "../../src/captcha/glyphs";
import { ANSWER_LENGTH, randomAnswer, renderCaptchaSvg } from "../../src/captcha/image";

describe("captcha answers", () => {
  it("are four characters of the unambiguous alphabet, typeable in the clients' built-in dialog", () => {
    expect(ANSWER_LENGTH).toBe(4);
    for (let i = 0; i < 200; i++) {
      const answer = randomAnswer();
      expect(answer).toHaveLength(4);
      for (const char of answer) expect(CAPTCHA_ALPHABET).toContain(char);
    }
  });

  it("are drawn as strokes, never as text in the markup", () => {
    const svg = renderCaptchaSvg("HKMW");
    expect(svg).not.toContain("<text");
    expect(svg).not.toMatch(/HKMW/);
  });
});
