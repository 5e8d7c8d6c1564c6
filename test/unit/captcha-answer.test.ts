// Captcha answers must fit the captcha dialog built into the CloudBase clients (input maxLength 4),
// and the picture must be a PNG the clients can show as an <img> source.
import { describe, expect, it } from "vitest";
import { ANSWER_LENGTH, randomAnswer } from "../../src/captcha/answer";
import { CAPTCHA_ALPHABET } from "../../src/captcha/glyphs";
import { captchaImageDataUri, HEIGHT, WIDTH } from "../../src/captcha/image";
import { decodePng, pngOfDataUri } from "./captcha-png-decode";

describe("captcha answers", () => {
  it("are four characters of the unambiguous alphabet, typeable in the clients' built-in dialog", () => {
    expect(ANSWER_LENGTH).toBe(4);
    for (let i = 0; i < 200; i++) {
      const answer = randomAnswer();
      expect(answer).toHaveLength(4);
      for (const char of answer) expect(CAPTCHA_ALPHABET).toContain(char);
    }
  });

  it("are drawn as a greyscale PNG (valid chunks and CRCs) that decodes to ink on paper", async () => {
    const uri = await captchaImageDataUri("HKMW");
    const png = pngOfDataUri(uri);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(uri).not.toMatch(/HKMW/);
    const picture = await decodePng(png);
    expect([picture.width, picture.height]).toEqual([WIDTH, HEIGHT]);
    expect(picture.pixels).toHaveLength(WIDTH * HEIGHT);
    const dark = picture.pixels.filter((value) => value < 128).length;
    // Some ink (glyphs and a noise stroke), mostly paper.
    expect(dark).toBeGreaterThan(WIDTH * HEIGHT * 0.05);
    expect(dark).toBeLessThan(WIDTH * HEIGHT * 0.4);
  });

  it("are drawn afresh each time: the same answer never gives the same picture", async () => {
    expect(await captchaImageDataUri("HKMW")).not.toBe(await captchaImageDataUri("HKMW"));
  });
});
