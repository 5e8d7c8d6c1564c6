// A PNG decoder for the captcha tests, written apart from src/captcha/png.ts so the encoder is not
// checked against itself: chunk CRCs (bitwise, no table), zlib through DecompressionStream, and all
// five row filters. 8-bit greyscale only, which is what the captcha serves.

export interface DecodedPng {
  width: number;
  height: number;
  /** Row-major, one byte per pixel. */
  pixels: Uint8Array;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function crc32Bitwise(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

async function inflate(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

function unfilter(raw: Uint8Array, width: number, height: number): Uint8Array {
  if (raw.length !== height * (width + 1)) throw new Error(`IDAT inflates to ${raw.length} bytes`);
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (width + 1)]!;
    for (let x = 0; x < width; x++) {
      const value = raw[y * (width + 1) + 1 + x]!;
      const a = x > 0 ? pixels[y * width + x - 1]! : 0;
      const b = y > 0 ? pixels[(y - 1) * width + x]! : 0;
      const c = x > 0 && y > 0 ? pixels[(y - 1) * width + x - 1]! : 0;
      const predictor = [0, a, b, (a + b) >> 1, paeth(a, b, c)][filter];
      if (predictor === undefined) throw new Error(`unknown filter ${filter}`);
      pixels[y * width + x] = (value + predictor) & 0xff;
    }
  }
  return pixels;
}

export async function decodePng(png: Uint8Array): Promise<DecodedPng> {
  if (!SIGNATURE.every((byte, i) => png[i] === byte)) throw new Error("not a PNG signature");
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const types: string[] = [];
  const idat: Uint8Array[] = [];
  let header: Uint8Array | undefined;
  for (let at = 8; at < png.length; ) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    const data = png.subarray(at + 8, at + 8 + length);
    if (crc32Bitwise(png.subarray(at + 4, at + 8 + length)) !== view.getUint32(at + 8 + length)) throw new Error(`bad CRC in ${type}`);
    types.push(type);
    if (type === "IHDR") header = data;
    if (type === "IDAT") idat.push(data);
    at += 12 + length;
  }
  if (types[0] !== "IHDR" || types.at(-1) !== "IEND" || !header) throw new Error(`chunks ${types.join(",")}`);
  const headerView = new DataView(header.buffer, header.byteOffset, header.byteLength);
  const [width, height] = [headerView.getUint32(0), headerView.getUint32(4)];
  const [depth, colour, compression, filtering, interlace] = header.subarray(8, 13);
  if (depth !== 8 || colour !== 0 || compression !== 0 || filtering !== 0 || interlace !== 0) {
    throw new Error(`unsupported IHDR ${[depth, colour, compression, filtering, interlace].join(",")}`);
  }
  const joined = new Uint8Array(idat.reduce((sum, part) => sum + part.length, 0));
  idat.reduce((offset, part) => (joined.set(part, offset), offset + part.length), 0);
  return { width, height, pixels: unfilter(await inflate(joined), width, height) };
}

/** The PNG bytes of a `data:image/png;base64,` URI. */
export function pngOfDataUri(uri: string): Uint8Array {
  const prefix = "data:image/png;base64,";
  if (!uri.startsWith(prefix)) throw new Error(`not a PNG data URI: ${uri.slice(0, 40)}`);
  return Uint8Array.from(atob(uri.slice(prefix.length)), (char) => char.charCodeAt(0));
}
