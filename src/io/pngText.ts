// Text chunks in a PNG (PNG specification, 3rd edition, sections 11.3.3.2-11.3.3.4): tEXt for Latin-1 text,
// iTXt (uncompressed UTF-8) for text outside Latin-1, each inserted before IEND with its CRC-32. The image data
// is left untouched, so the pixels decode exactly as before.
import { ModelError } from "../errors.js";

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

let crcTable: Uint32Array | undefined;

/** CRC-32 of `bytes` (ISO 3309 / ITU-T V.42, polynomial 0xEDB88320 reflected, as the PNG specification uses). */
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "latin1");
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** A text chunk: tEXt when the text is Latin-1, iTXt (UTF-8, uncompressed, no language tag) otherwise. */
export function textChunk(keyword: string, text: string): Buffer {
  // Keywords: 1-79 printable Latin-1 characters, no leading, trailing or double spaces.
  if (!/^[\x20-\x7e\xa1-\xff]{1,79}$/.test(keyword) || /^ | $| {2}/.test(keyword)) {
    throw new ModelError(`PNG text keyword "${keyword}" is not 1-79 printable Latin-1 characters`);
  }
  // Line breaks are a single LF; other control characters (and NUL, the separator) are not allowed.
  // eslint-disable-next-line no-control-regex -- removing the control characters PNG text forbids
  const clean = text.replace(/\r\n?/g, "\n").replace(/[\x00-\x09\x0b-\x1f\x7f]/g, " ");
  const key = Buffer.from(keyword, "latin1");
  if (/^[\n\x20-\x7e\xa0-\xff]*$/.test(clean)) {
    return chunk("tEXt", Buffer.concat([key, Buffer.from([0]), Buffer.from(clean, "latin1")]));
  }
  // keyword, NUL, compression flag 0, method 0, empty language tag + NUL, empty translated keyword + NUL, text
  return chunk("iTXt", Buffer.concat([key, Buffer.from([0, 0, 0, 0, 0]), Buffer.from(clean, "utf8")]));
}

/** `png` with text chunks (keyword → text, in order) inserted before its IEND chunk. */
export function addPngText(png: Uint8Array, entries: ReadonlyArray<readonly [string, string]>): Buffer {
  const bytes = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  if (bytes.length < 20 || SIGNATURE.some((b, i) => bytes[i] !== b)) throw new ModelError("addPngText: not a PNG");
  let pos = 8;
  while (pos + 12 <= bytes.length) {
    const len = bytes.readUInt32BE(pos);
    if (bytes.toString("latin1", pos + 4, pos + 8) === "IEND") {
      const text = entries.map(([k, t]) => textChunk(k, t));
      return Buffer.concat([bytes.subarray(0, pos), ...text, bytes.subarray(pos)]);
    }
    pos += 12 + len;
  }
  throw new ModelError("addPngText: the PNG has no IEND chunk");
}
