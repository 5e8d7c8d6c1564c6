// The answer of an image-captcha challenge: what the picture shows and the challenge token seals.
import { CAPTCHA_ALPHABET } from "./glyphs";

/**
 * Answer length. Four: the captcha dialog built into @cloudbase/oauth and @cloudbase/js-sdk has an
 * input with maxLength 4, so a longer answer could never be typed there. 26^4 answers with three
 * tries per challenge is plenty against blind guessing; reading the picture is the real attack.
 */
export const ANSWER_LENGTH = 4;

/** A uniformly random answer from the unambiguous alphabet (one 32-bit draw per character). */
export function randomAnswer(length = ANSWER_LENGTH): string {
  let answer = "";
  for (let i = 0; i < length; i++) {
    const draw = crypto.getRandomValues(new Uint32Array(1))[0]! / 2 ** 32;
    answer += CAPTCHA_ALPHABET[Math.floor(draw * CAPTCHA_ALPHABET.length)];
  }
  return answer;
}
