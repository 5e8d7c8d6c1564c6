// Bends the whole picture, glyphs and noise strokes alike, by random sine displacements of rows and
// columns. Straight strokes come out curved and each glyph bends differently from the next, so a
// glyph no longer matches any rotated, scaled or sheared copy of its font shape.
import { blankInk, type Ink } from "./ink";
import type { RandomDraws } from "./random-draws";

interface Wave {
  amplitude: number;
  /** Radians per pixel. */
  frequency: number;
  phase: number;
}

function wave(draws: RandomDraws, amplitude: number, shortest: number, longest: number): Wave {
  return {
    amplitude: draws.between(-amplitude, amplitude),
    frequency: (2 * Math.PI) / draws.between(shortest, longest),
    phase: draws.between(0, 2 * Math.PI),
  };
}

/** The wave's displacement at 0, 1, ... count - 1, computed once per picture. */
function table(w: Wave, count: number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = w.amplitude * Math.sin(w.frequency * i + w.phase);
  return out;
}

/** Coverage at a fractional position, bilinear; outside the picture is blank. */
function sample(ink: Ink, x: number, y: number): number {
  const [x0, y0] = [Math.floor(x), Math.floor(y)];
  if (x0 < -1 || y0 < -1 || x0 >= ink.width || y0 >= ink.height) return 0;
  const [fx, fy] = [x - x0, y - y0];
  const { width, height, cover } = ink;
  const row0 = y0 >= 0, row1 = y0 + 1 < height, col0 = x0 >= 0, col1 = x0 + 1 < width;
  const i = y0 * width + x0;
  const a = row0 && col0 ? cover[i]! : 0;
  const b = row0 && col1 ? cover[i + 1]! : 0;
  const c = row1 && col0 ? cover[i + width]! : 0;
  const d = row1 && col1 ? cover[i + width + 1]! : 0;
  return (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy;
}

export function warp(ink: Ink, draws: RandomDraws): Ink {
  // Rows sway sideways (verticals wobble), columns stretch and squeeze (glyph widths change), and
  // columns rise and fall (the baseline waves). Amplitudes stay within what a reader shrugs off.
  const sway = table(wave(draws, 3.5, 26, 44), ink.height);
  const stretch = table(wave(draws, 6, 40, 80), ink.width);
  const rise = table(wave(draws, 4.8, 50, 100), ink.width);
  const ripple = table(wave(draws, 1.3, 20, 30), ink.width + ink.height);
  const out = blankInk(ink.width, ink.height);
  for (let y = 0; y < ink.height; y++) {
    for (let x = 0; x < ink.width; x++) {
      out.cover[y * ink.width + x] = sample(ink, x + sway[y]! + stretch[x]!, y + rise[x]! + ripple[x + y]!);
    }
  }
  return out;
}
