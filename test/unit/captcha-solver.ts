// A structural solver for the image captcha: what an attacker holding this repository's code and
// glyph font would script before reaching for machine learning. It binarises the picture, cleans
// speckle, and reads glyphs that stand apart one connected component each; otherwise it finds the
// text by column projection, cuts it into ANSWER_LENGTH pieces at projection minima (trying several
// cut sets, keeping the best-matching reading), and matches each piece against templates of every
// glyph placed by the renderer's own code at the rotations and shears the renderer uses.
import { ANSWER_LENGTH } from "../../src/captcha/answer";
import { placeGlyph } from "../../src/captcha/glyph-raster";
import { CAPTCHA_ALPHABET } from "../../src/captcha/glyphs";
import { blankInk, strokePolyline } from "../../src/captcha/ink";

interface Picture {
  width: number;
  height: number;
  pixels: Uint8Array;
}

/** A binary image: 1 is ink. */
interface Bits {
  width: number;
  height: number;
  on: Uint8Array;
}

// Pieces and templates are compared at this size after cropping to their ink's bounding box.
const [GRID_W, GRID_H] = [16, 24];

function otsuThreshold(pixels: Uint8Array): number {
  const histogram = new Array<number>(256).fill(0);
  for (const value of pixels) histogram[value]!++;
  const total = pixels.length;
  const sumAll = histogram.reduce((sum, count, value) => sum + count * value, 0);
  let [best, threshold, below, sumBelow] = [-1, 128, 0, 0];
  for (let t = 0; t < 256; t++) {
    below += histogram[t]!;
    sumBelow += t * histogram[t]!;
    const above = total - below;
    if (below === 0 || above === 0) continue;
    const between = below * above * (sumBelow / below - (sumAll - sumBelow) / above) ** 2;
    if (between > best) [best, threshold] = [between, t];
  }
  return threshold;
}

function binarise(picture: Picture): Bits {
  const threshold = otsuThreshold(picture.pixels);
  return { width: picture.width, height: picture.height, on: picture.pixels.map((value) => (value <= threshold ? 1 : 0)) };
}

/** Each cell's value summed with its 8 neighbours (cells outside count 0). */
function sum3x3(values: ArrayLike<number>, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const [nx, ny] = [x + dx, y + dy];
          if (nx >= 0 && ny >= 0 && nx < width && ny < height) sum += values[ny * width + nx]!;
        }
      }
      out[y * width + x] = sum;
    }
  }
  return out;
}

/** 3x3 majority vote: drops lone dots and fills pin-holes. */
function majority(bits: Bits): Bits {
  const counts = sum3x3(bits.on, bits.width, bits.height);
  return { ...bits, on: Uint8Array.from(counts, (count) => (count >= 5 ? 1 : 0)) };
}

/** The 8-connected components of the ink, as lists of pixel indices. */
function components(bits: Bits): number[][] {
  const { width, height, on } = bits;
  const seen = new Uint8Array(on.length);
  const found: number[][] = [];
  for (let start = 0; start < on.length; start++) {
    if (!on[start] || seen[start]) continue;
    const component = [start];
    seen[start] = 1;
    for (let k = 0; k < component.length; k++) {
      const [x, y] = [component[k]! % width, Math.floor(component[k]! / width)];
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const [nx, ny] = [x + dx, y + dy];
          const i = ny * width + nx;
          if (nx >= 0 && ny >= 0 && nx < width && ny < height && on[i] && !seen[i]) {
            seen[i] = 1;
            component.push(i);
          }
        }
      }
    }
    found.push(component);
  }
  return found;
}

function only(bits: Bits, pixels: number[]): Bits {
  const on = new Uint8Array(bits.on.length);
  for (const i of pixels) on[i] = 1;
  return { ...bits, on };
}

/** The ink inside columns [left, right), cropped to its bounding box and resampled to the grid. */
function normalise(bits: Bits, left: number, right: number): Float32Array | undefined {
  let [top, bottom, first, last] = [bits.height, -1, right, left - 1];
  for (let y = 0; y < bits.height; y++) {
    for (let x = left; x < right; x++) {
      if (!bits.on[y * bits.width + x]) continue;
      [top, bottom, first, last] = [Math.min(top, y), Math.max(bottom, y), Math.min(first, x), Math.max(last, x)];
    }
  }
  if (bottom < 0) return undefined;
  const grid = new Float32Array(GRID_W * GRID_H);
  const [boxW, boxH] = [last - first + 1, bottom - top + 1];
  for (let y = top; y <= bottom; y++) {
    for (let x = first; x <= last; x++) {
      if (!bits.on[y * bits.width + x]) continue;
      const gx = Math.min(GRID_W - 1, Math.floor(((x - first) * GRID_W) / boxW));
      const gy = Math.min(GRID_H - 1, Math.floor(((y - top) * GRID_H) / boxH));
      grid[gy * GRID_W + gx]! += 1;
    }
  }
  // Blurred, so strokes a cell apart still overlap.
  return standardise(sum3x3(grid, GRID_W, GRID_H));
}

/** Zero mean, unit length: the score of two grids is then their correlation. */
function standardise(grid: Float32Array): Float32Array {
  const mean = grid.reduce((sum, v) => sum + v, 0) / grid.length;
  let norm = 0;
  for (let i = 0; i < grid.length; i++) norm += (grid[i]! -= mean) ** 2;
  norm = Math.sqrt(norm) || 1;
  return grid.map((v) => v / norm);
}

interface Template {
  char: string;
  grid: Float32Array;
}

const steps = (low: number, high: number, count: number) =>
  Array.from({ length: count }, (_, i) => low + ((high - low) * i) / (count - 1));

/** Every glyph at the renderer's rotations and shears (scale drops out in `normalise`). */
export function buildTemplates(): Template[] {
  const templates: Template[] = [];
  for (const char of CAPTCHA_ALPHABET) {
    for (const angle of steps(-0.35, 0.35, 8)) {
      for (const shear of steps(-0.3, 0.3, 5)) {
        const ink = blankInk(64, 64);
        const strokes = placeGlyph(char, { x: 32, y: 32, scale: 6.4, widen: 1, angle, shear });
        for (const stroke of strokes) strokePolyline(ink, stroke, 1.35);
        const on = Uint8Array.from(ink.cover, (cover) => (cover >= 0.5 ? 1 : 0));
        templates.push({ char, grid: normalise({ width: 64, height: 64, on }, 0, 64)! });
      }
    }
  }
  return templates;
}

function bestMatch(grid: Float32Array, templates: Template[]): { char: string; score: number } {
  let best = { char: "?", score: -Infinity };
  for (const template of templates) {
    let score = 0;
    for (let i = 0; i < grid.length; i++) score += grid[i]! * template.grid[i]!;
    if (score > best.score) best = { char: template.char, score };
  }
  return best;
}

/**
 * First and last columns of the text: runs of 3+ columns holding clearly more ink than the picture's
 * edges, where only noise strokes pass (the renderer centres the text and leaves margins).
 */
function textSpan(projection: number[]): [number, number] {
  const edges = [...projection.slice(0, 8), ...projection.slice(-8)].sort((a, b) => a - b);
  const noise = edges[Math.floor(edges.length * 0.75)]!;
  const strong = projection.map((count) => count > noise + 3);
  const runAt = (i: number) => strong[i] && strong[i + 1] && strong[i + 2];
  let left = strong.findIndex((_, i) => runAt(i));
  let right = projection.length - 1 - [...strong].reverse().findIndex((_, i) => runAt(projection.length - 3 - i));
  if (left < 0 || right <= left) [left, right] = [0, projection.length - 1];
  return [left, right + 1];
}

/** Cut candidates near `expected`: the lowest projection minima within `reach`, and `expected` itself. */
function cutCandidates(projection: number[], expected: number, reach: number): number[] {
  const columns: number[] = [];
  for (let x = Math.max(1, Math.round(expected - reach)); x <= Math.min(projection.length - 2, expected + reach); x++) {
    if (projection[x]! <= projection[x - 1]! && projection[x]! <= projection[x + 1]!) columns.push(x);
  }
  columns.sort((a, b) => projection[a]! - projection[b]!);
  return [...new Set([...columns.slice(0, 3), Math.round(expected)])];
}

export function solve(picture: Picture, templates: Template[]): string {
  const cleaned = majority(binarise(picture));
  const parts = components(cleaned).filter((c) => c.length >= 12);
  const bits = only(cleaned, parts.flat());
  // Glyphs that stand apart: one component each, read one by one.
  const big = parts.filter((c) => c.length >= 60);
  if (big.length === ANSWER_LENGTH) {
    const leftmost = (c: number[]) => Math.min(...c.map((i) => i % bits.width));
    big.sort((a, b) => leftmost(a) - leftmost(b));
    return big.map((c) => bestMatch(normalise(only(bits, c), 0, bits.width)!, templates).char).join("");
  }
  const projection = Array.from({ length: bits.width }, (_, x) => {
    let count = 0;
    for (let y = 0; y < bits.height; y++) count += bits.on[y * bits.width + x]!;
    return count;
  });
  const [left, right] = textSpan(projection);
  const pitch = (right - left) / ANSWER_LENGTH;
  const candidates = Array.from({ length: ANSWER_LENGTH - 1 }, (_, k) => cutCandidates(projection, left + (k + 1) * pitch, pitch * 0.4));
  const scored = new Map<string, { char: string; score: number }>();
  const piece = (a: number, b: number) => {
    const key = `${a}:${b}`;
    if (!scored.has(key)) {
      const grid = b - a >= 4 ? normalise(bits, a, b) : undefined;
      scored.set(key, grid ? bestMatch(grid, templates) : { char: "?", score: -1 });
    }
    return scored.get(key)!;
  };
  // Every combination of cut candidates; the reading with the best total match wins.
  let best = { text: "", score: -Infinity };
  const walk = (cuts: number[]) => {
    if (cuts.length === ANSWER_LENGTH - 1) {
      const bounds = [left, ...cuts, right];
      const pieces = bounds.slice(1).map((b, i) => piece(bounds[i]!, b));
      const score = pieces.reduce((sum, p) => sum + p.score, 0);
      if (score > best.score) best = { text: pieces.map((p) => p.char).join(""), score };
      return;
    }
    for (const cut of candidates[cuts.length]!) if (cut > (cuts.at(-1) ?? left)) walk([...cuts, cut]);
  };
  walk([]);
  return best.text;
}
