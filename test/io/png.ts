// Minimal PNG decoder for tests (8-bit RGB/RGBA, non-interlaced, as resvg writes them).
import { gzipSync, inflateSync } from "node:zlib";

export interface Image {
  width: number;
  height: number;
  /** RGBA, 4 bytes per pixel. */
  rgba: Uint8Array;
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function decodePng(png: Buffer): Image {
  if (!png.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error("not a PNG");
  let pos = 8;
  let width = 0;
  let height = 0;
  let colorType = 0;
  const idat: Buffer[] = [];
  while (pos < png.length) {
    const len = png.readUInt32BE(pos);
    const type = png.toString("latin1", pos + 4, pos + 8);
    const data = png.subarray(pos + 8, pos + 8 + len);
    if (type === "IHDR") {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[12] !== 0) throw new Error("only 8-bit non-interlaced PNGs");
      colorType = data[9];
    } else if (type === "IDAT") idat.push(data);
    else if (type === "IEND") break;
    pos += 12 + len;
  }
  const channels = colorType === 6 ? 4 : colorType === 2 ? 3 : colorType === 4 ? 2 : colorType === 0 ? 1 : 0;
  if (channels === 0) throw new Error(`unsupported PNG colour type ${colorType}`);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? out[y * stride + i - channels] : 0;
      const b = y > 0 ? out[(y - 1) * stride + i] : 0;
      const c = i >= channels && y > 0 ? out[(y - 1) * stride + i - channels] : 0;
      let v = line[i];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      out[y * stride + i] = v & 0xff;
    }
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let k = 0; k < width * height; k++) {
    const px = out.subarray(k * channels, (k + 1) * channels);
    const [r, g, b, al] =
      channels === 4
        ? px
        : channels === 3
          ? [px[0], px[1], px[2], 255]
          : channels === 2
            ? [px[0], px[0], px[0], px[1]]
            : [px[0], px[0], px[0], 255];
    rgba.set([r, g, b, al], k * 4);
  }
  return { width, height, rgba };
}

/** Number of pixels darker than `threshold` (0..255, on luminance). */
export function darkPixels(img: Image, threshold = 100): number {
  let n = 0;
  for (let k = 0; k < img.width * img.height; k++) {
    const lum = 0.299 * img.rgba[4 * k] + 0.587 * img.rgba[4 * k + 1] + 0.114 * img.rgba[4 * k + 2];
    if (img.rgba[4 * k + 3] > 128 && lum < threshold) n++;
  }
  return n;
}

export interface PngText {
  type: "tEXt" | "iTXt";
  keyword: string;
  text: string;
}

/**
 * The text chunks of a PNG (tEXt and uncompressed iTXt), in order. Throws on a chunk whose CRC is wrong, the CRC
 * taken from zlib's gzip trailer (an implementation independent of ness's).
 */
export function pngTextChunks(png: Buffer): PngText[] {
  if (!png.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error("not a PNG");
  const out: PngText[] = [];
  let pos = 8;
  let ended = false;
  while (pos < png.length) {
    if (pos + 12 > png.length) throw new Error(`truncated chunk at byte ${pos}`);
    const len = png.readUInt32BE(pos);
    const type = png.toString("latin1", pos + 4, pos + 8);
    const typed = png.subarray(pos + 4, pos + 8 + len);
    const gz = gzipSync(typed);
    const crc = gz.readUInt32LE(gz.length - 8);
    if (crc !== png.readUInt32BE(pos + 8 + len)) throw new Error(`${type} chunk at byte ${pos}: bad CRC`);
    const data = png.subarray(pos + 8, pos + 8 + len);
    const nul = data.indexOf(0);
    if (type === "tEXt") {
      out.push({ type, keyword: data.toString("latin1", 0, nul), text: data.toString("latin1", nul + 1) });
    } else if (type === "iTXt") {
      if (data[nul + 1] !== 0) throw new Error("compressed iTXt");
      const lang = data.indexOf(0, nul + 3);
      const translated = data.indexOf(0, lang + 1);
      out.push({ type, keyword: data.toString("latin1", 0, nul), text: data.toString("utf8", translated + 1) });
    }
    pos += 12 + len;
    if (type === "IEND") {
      ended = true;
      break;
    }
  }
  if (!ended || pos !== png.length) throw new Error("no IEND chunk at the end");
  return out;
}
