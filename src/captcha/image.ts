// Renders a captcha answer as an SVG: each glyph scaled, rotated, sheared and jittered at random,
// with noise strokes over it. Returned as a data URI, as the CloudBase clients expect.
import { CAPTCHA_ALPHABET, GLYPHS } from "./glyphs";

const WIDTH = 160;
const HEIGHT = 60;

function random(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]! / 2 ** 32;
}

const between = (low: number, high: number) => low + random() * (high - low);

/**
 * Answer length. Four: the captcha dialog built into @cloudbase/oauth and @cloudbase/js-sdk has an
 * input with maxLength 4, so a longer answer could never be typed there. 25^4 answers with three
 * tries per challenge is plenty against blind guessing; reading the picture is the real attack.
 */
export const ANSWER_LENGTH = 4;

/** A uniformly random answer from the unambiguous alphabet (rejection-free: index by 32-bit draw). */
export function randomAnswer(length = ANSWER_LENGTH): string {
  let answer = "";
  for (let i = 0; i < length; i++) answer += CAPTCHA_ALPHABET[Math.floor(random() * CAPTCHA_ALPHABET.length)];
  return answer;
}

function glyphPath(char: string, originX: number): string {
  const scale = between(4.5, 6);
  const angle = between(-0.35, 0.35);
  const shear = between(-0.3, 0.3);
  const originY = between(8, HEIGHT - 6 * scale - 8);
  const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
  const point = ([x, y]: [number, number]) => {
    const sx = (x - 2 + shear * (y - 3)) * scale + between(-1.2, 1.2);
    const sy = (y - 3) * scale + between(-1.2, 1.2);
    const px = originX + 2 * scale + sx * cos - sy * sin;
    const py = originY + 3 * scale + sx * sin + sy * cos;
    return `${px.toFixed(1)} ${py.toFixed(1)}`;
  };
  return (GLYPHS[char] ?? []).map((stroke) => `M${stroke.map(point).join("L")}`).join("");
}

function noise(): string {
  let d = "";
  for (let i = 0; i < 4; i++) {
    d += `M${between(0, WIDTH).toFixed(1)} ${between(0, HEIGHT).toFixed(1)}`;
    d += `Q${between(0, WIDTH).toFixed(1)} ${between(0, HEIGHT).toFixed(1)} ${between(0, WIDTH).toFixed(1)} ${between(0, HEIGHT).toFixed(1)}`;
  }
  return d;
}

export function renderCaptchaSvg(answer: string): string {
  const step = (WIDTH - 20) / answer.length;
  const glyphs = [...answer].map((char, i) => glyphPath(char, 10 + i * step + between(-2, 2))).join("");
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}">` +
    `<rect width="100%" height="100%" fill="#f4f4f0"/>` +
    `<path d="${noise()}" stroke="#8a8f98" stroke-width="1.5" fill="none"/>` +
    `<path d="${glyphs}" stroke="#1f2a44" stroke-width="3" fill="none" stroke-linecap="round" stroke-linejoin="round"/>` +
    `<path d="${noise()}" stroke="#5d6b82" stroke-width="1" fill="none"/>` +
    `</svg>`
  );
}

export function svgDataUri(svg: string): string {
  return `data:image/svg+xml;base64,${btoa(svg)}`;
}
