// Noise over the glyphs, in the glyphs' own ink and width so no colour or thickness tells it apart.
// The noise stroke runs through the text and joins the glyphs into one blob (a reader follows it as
// one long line); dashes near the glyphs throw off anything that crops a glyph to its ink; speckle
// breaks up edges and sprinkles stray dots.
import type { Ink, Point } from "./ink";
import type { RandomDraws } from "./random-draws";

/** A slanted, gently wavy line from edge to edge through the text band. */
export function noiseStroke(width: number, height: number, draws: RandomDraws): Point[] {
  const centre = draws.between(height * 0.4, height * 0.6);
  const slope = draws.between(-0.15, 0.15);
  const amplitude = draws.between(2, 5);
  const frequency = (2 * Math.PI) / draws.between(80, 160);
  const phase = draws.between(0, 2 * Math.PI);
  const points: Point[] = [];
  for (let x = -4; x <= width + 4; x += 6) {
    points.push([x, centre + slope * (x - width / 2) + amplitude * Math.sin(frequency * x + phase)]);
  }
  return points;
}

/** Stray dots of ink, and holes bitten out of the strokes. */
export function speckle(ink: Ink, draws: RandomDraws): void {
  const pixels = ink.width * ink.height;
  for (let i = 0; i < pixels / 60; i++) ink.cover[draws.below(pixels)] = draws.between(0.6, 1);
  for (let i = 0; i < pixels / 40; i++) {
    const at = draws.below(pixels);
    ink.cover[at] = ink.cover[at]! * draws.between(0, 0.4);
  }
}

/** Short dashes around the text: stray ink a reader skips, but a glyph's bounding box takes in. */
export function dashes(height: number, draws: RandomDraws, left: number, right: number): Point[][] {
  return Array.from({ length: 12 }, () => {
    const at: Point = [draws.between(left, right), draws.between(height * 0.15, height * 0.85)];
    const angle = draws.between(0, Math.PI);
    const length = draws.between(2, 5);
    return [at, [at[0] + length * Math.cos(angle), at[1] + length * Math.sin(angle)]];
  });
}
