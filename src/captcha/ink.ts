// A coverage map: how much ink covers each pixel, 0 (none) to 1 (full). Strokes are drawn with
// anti-aliased round ends, so glyphs and noise strokes are made of the very same kind of line.

export interface Ink {
  width: number;
  height: number;
  /** Row-major coverage, `width * height` values in [0, 1]. */
  cover: Float32Array;
}

export type Point = [number, number];

export function blankInk(width: number, height: number): Ink {
  return { width, height, cover: new Float32Array(width * height) };
}

/** A segment `halfWidth` pixels either side of its axis; coverage fades over the last pixel. */
export function strokeSegment(ink: Ink, [x0, y0]: Point, [x1, y1]: Point, halfWidth: number): void {
  const reach = halfWidth + 1;
  const left = Math.max(0, Math.floor(Math.min(x0, x1) - reach));
  const right = Math.min(ink.width - 1, Math.ceil(Math.max(x0, x1) + reach));
  const top = Math.max(0, Math.floor(Math.min(y0, y1) - reach));
  const bottom = Math.min(ink.height - 1, Math.ceil(Math.max(y0, y1) + reach));
  const [dx, dy] = [x1 - x0, y1 - y0];
  const lengthSquared = dx * dx + dy * dy || 1;
  for (let y = top; y <= bottom; y++) {
    for (let x = left; x <= right; x++) {
      // Distance from the pixel's centre to the nearest point of the segment.
      const [px, py] = [x + 0.5 - x0, y + 0.5 - y0];
      const t = Math.min(1, Math.max(0, (px * dx + py * dy) / lengthSquared));
      const [ex, ey] = [px - t * dx, py - t * dy];
      const distance = Math.sqrt(ex * ex + ey * ey);
      const coverage = Math.min(1, halfWidth + 0.5 - distance);
      const i = y * ink.width + x;
      if (coverage > ink.cover[i]!) ink.cover[i] = coverage;
    }
  }
}

export function strokePolyline(ink: Ink, points: Point[], halfWidth: number): void {
  for (let i = 1; i < points.length; i++) strokeSegment(ink, points[i - 1]!, points[i]!, halfWidth);
}
