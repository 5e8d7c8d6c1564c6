// Places a glyph of the stroke font (glyphs.ts) on the picture: scaled, widened, sheared, rotated
// and moved. On its own so the structural-solver test (test/unit/captcha-solver.ts) builds its
// templates exactly as an attacker holding this code would.
import { GLYPHS } from "./glyphs";
import type { Point } from "./ink";

export interface GlyphPose {
  /** Where the glyph's centre (2, 3 on its 4x6 grid) lands, in pixels. */
  x: number;
  y: number;
  /** Pixels per grid unit, and how much wider than tall (1: the font's own proportions). */
  scale: number;
  widen: number;
  /** Radians, clockwise as y points down. */
  angle: number;
  /** Horizontal shift per unit of height (italic-like slant). */
  shear: number;
}

export function placeGlyph(char: string, pose: GlyphPose): Point[][] {
  const [cos, sin] = [Math.cos(pose.angle), Math.sin(pose.angle)];
  const place = ([gx, gy]: Point): Point => {
    const x = ((gx - 2) * pose.widen + pose.shear * (gy - 3)) * pose.scale;
    const y = (gy - 3) * pose.scale;
    return [pose.x + x * cos - y * sin, pose.y + x * sin + y * cos];
  };
  return (GLYPHS[char] ?? []).map((stroke) => stroke.map(place));
}
