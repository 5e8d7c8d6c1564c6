// Bends every stroke, glyphs and noise alike, through one random field of sine displacements of
// rows and columns. Straight strokes come out curved and each glyph bends differently from the
// next, so a glyph no longer matches any rotated, scaled or sheared copy of its font shape. The
// field moves the strokes' points before they are drawn, so lines keep their width and stay legible.
import type { Point } from "./ink";
import type { RandomDraws } from "./random-draws";

export type Warp = (point: Point) => Point;

function wave(draws: RandomDraws, amplitude: number, shortest: number, longest: number): (at: number) => number {
  const size = draws.between(-amplitude, amplitude);
  const frequency = (2 * Math.PI) / draws.between(shortest, longest);
  const phase = draws.between(0, 2 * Math.PI);
  return (at) => size * Math.sin(frequency * at + phase);
}

export function randomWarp(draws: RandomDraws): Warp {
  // Rows sway sideways (verticals wobble), columns stretch and squeeze (glyph widths change), and
  // columns rise and fall (the baseline waves); a short ripple bends strokes within a glyph.
  const sway = wave(draws, 2.5, 30, 50);
  const stretch = wave(draws, 5, 40, 80);
  const rise = wave(draws, 4.8, 50, 100);
  const ripple = wave(draws, 1, 20, 30);
  return ([x, y]) => [x + sway(y) + stretch(x), y + rise(x) + ripple(x + y)];
}

/** A smaller field of its own for one glyph, so no two glyphs bend alike (as in handwriting). */
export function glyphWarp(draws: RandomDraws): Warp {
  const sway = wave(draws, 1.5, 24, 40);
  const rise = wave(draws, 1.5, 24, 40);
  return ([x, y]) => [x + sway(y), y + rise(x)];
}

/** The polyline cut into pieces at most `step` pixels long, so a warp can bend each piece. */
export function subdivide(points: Point[], step: number): Point[] {
  const out: Point[] = points.slice(0, 1);
  for (let i = 1; i < points.length; i++) {
    const [[x0, y0], [x1, y1]] = [points[i - 1]!, points[i]!];
    const pieces = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0) / step));
    for (let k = 1; k <= pieces; k++) out.push([x0 + ((x1 - x0) * k) / pieces, y0 + ((y1 - y0) * k) / pieces]);
  }
  return out;
}
