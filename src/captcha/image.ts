// Renders a captcha answer as a raster PNG, returned as a data URI as the CloudBase clients expect
// (they set it as an <img> source). The answer exists only as pixels: glyphs get random poses, are
// pushed into each other, bent (each by its own warp, all by one more), crossed by noise of the same
// ink, rasterised and speckled, so parsing the file yields a picture to read, not a structure to
// decode (docs/security.md).
import { placeGlyph, type GlyphPose } from "./glyph-raster";
import { blankInk, strokePolyline, type Ink, type Point } from "./ink";
import { dashes, noiseStroke, speckle } from "./noise";
import { encodeGreyPng } from "./png";
import { RandomDraws } from "./random-draws";
import { glyphWarp, randomWarp, subdivide, type Warp } from "./warp";

export const WIDTH = 180;
export const HEIGHT = 64;
const JITTER = 1;

/**
 * What the renderer applies. Production always uses PRODUCTION; the structural-solver test turns
 * parts off to show that its solver reads clean pictures, so its failure on real ones means something.
 */
export interface RenderOptions {
  /** Glyphs pushed into each other; otherwise spaced apart. */
  overlap: boolean;
  /** The sine warps (the whole picture's and each glyph's own), and glyph corners nudged. */
  warp: boolean;
  /** The noise stroke, dashes and speckle. */
  noise: boolean;
}

export const PRODUCTION: RenderOptions = { overlap: true, warp: true, noise: true };

export interface GreyPicture {
  width: number;
  height: number;
  /** Row-major, one byte per pixel, 0 black to 255 white. */
  pixels: Uint8Array;
}

const strokeHalfWidth = (draws: RandomDraws) => draws.between(1.2, 1.5);

/** Poses along a line: each glyph's centre is its neighbour's plus their half-widths times a gap factor. */
function layout(answer: string, options: RenderOptions, draws: RandomDraws): GlyphPose[] {
  const poses = [...answer].map(() => ({
    x: 0,
    y: HEIGHT / 2 + draws.between(-4, 4),
    scale: draws.between(5.8, 7),
    widen: draws.between(0.85, 1.15),
    angle: draws.between(-0.35, 0.35),
    shear: draws.between(-0.3, 0.3),
  }));
  for (let i = 1; i < poses.length; i++) {
    const gap = options.overlap ? draws.between(0.85, 0.97) : draws.between(1.3, 1.45);
    poses[i]!.x = poses[i - 1]!.x + 2 * (poses[i - 1]!.scale * poses[i - 1]!.widen + poses[i]!.scale * poses[i]!.widen) * gap;
  }
  const span = poses.at(-1)!.x - poses[0]!.x;
  const start = (WIDTH - span) / 2 + draws.between(-6, 6);
  for (const pose of poses) pose.x += start;
  return poses;
}

/** Each corner of a glyph nudged on its own, so no two copies of a glyph have the same shape. */
function jitter(stroke: Point[], options: RenderOptions, draws: RandomDraws): Point[] {
  if (!options.warp) return stroke;
  return stroke.map(([x, y]) => [x + draws.between(-JITTER, JITTER), y + draws.between(-JITTER, JITTER)]);
}

function shade(ink: Ink): Uint8Array {
  // Paper and ink greys with a faint grain, so no pixel value marks ink for certain.
  const grain = crypto.getRandomValues(new Uint8Array(ink.cover.length));
  const pixels = new Uint8Array(ink.cover.length);
  for (let i = 0; i < pixels.length; i++) pixels[i] = 236 - ink.cover[i]! * 190 + (grain[i]! % 24) - 12;
  return pixels;
}

export function renderCaptcha(answer: string, options: RenderOptions = PRODUCTION, draws = new RandomDraws()): GreyPicture {
  const ink = blankInk(WIDTH, HEIGHT);
  const bend: Warp = options.warp ? randomWarp(draws) : (point) => point;
  const stroke = (points: Point[], halfWidth: number, own: Warp = (point) => point) =>
    strokePolyline(ink, subdivide(points, 2).map((point) => bend(own(point))), halfWidth);
  const poses = layout(answer, options, draws);
  [...answer].forEach((char, i) => {
    const halfWidth = strokeHalfWidth(draws);
    const own = options.warp ? glyphWarp(draws) : undefined;
    for (const line of placeGlyph(char, poses[i]!)) stroke(jitter(line, options, draws), halfWidth, own);
  });
  if (options.noise) {
    stroke(noiseStroke(WIDTH, HEIGHT, draws), strokeHalfWidth(draws));
    for (const dash of dashes(HEIGHT, draws, poses[0]!.x - 20, poses.at(-1)!.x + 20)) stroke(dash, strokeHalfWidth(draws));
    speckle(ink, draws);
  }
  return { width: WIDTH, height: HEIGHT, pixels: shade(ink) };
}

export async function captchaImageDataUri(answer: string): Promise<string> {
  const picture = renderCaptcha(answer);
  const png = await encodeGreyPng(picture.width, picture.height, picture.pixels);
  // btoa takes a binary string; built a slice at a time, as one char per call is slow for ~9 KB.
  let binary = "";
  for (let i = 0; i < png.length; i += 4096) binary += String.fromCharCode(...png.subarray(i, i + 4096));
  return `data:image/png;base64,${btoa(binary)}`;
}
