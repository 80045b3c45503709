/**
 * The output layer of the studies: every report goes through here, and a non-finite number (NaN, ±Infinity) or a
 * null never reaches the user. Finding one is a bug in ness, not the user's fault, so it is an internal error (the
 * CLI exits 70) that names where the value was, instead of a silently wrong "NaN" or "null" in a result.
 * JSON numbers are written in full precision (the shortest text that reads back as the same double).
 * Large outputs (sweeps of millions of points) are streamed in chunks, to stdout or to a file, in bounded memory.
 */
import { commentLines, writeFileAtomic } from "../../io/files.js";
import { writeNumber } from "../../io/numberText.js";

/** A non-finite number or a null reached an output: a bug in ness (the CLI reports an internal error). */
export class NonFiniteOutputError extends Error {
  override name = "NonFiniteOutputError";
}

const BAD_TOKEN = /\bNaN\b|\bInfinity\b/;

/** Throws NonFiniteOutputError if a text report shows NaN or Infinity; otherwise returns it. */
export function checkedText(text: string, what = "the report"): string {
  const m = BAD_TOKEN.exec(text);
  if (m) {
    const end = text.indexOf("\n", m.index);
    const line = text.slice(text.lastIndexOf("\n", m.index) + 1, end < 0 ? undefined : end).trim();
    throw new NonFiniteOutputError(
      `${what} would show ${m[0]} (bug: a quantity was not computed): '${line.slice(0, 160)}'`,
    );
  }
  return text;
}

/** Prints warnings on stderr, one line each, as `ness: warning: ...` (checked). */
export function printWarnings(warnings: readonly string[]): void {
  for (const w of warnings) console.error(checkedText(`ness: warning: ${w}`, "a warning"));
}

/** A finite number as JSON/CSV text (String(x): the shortest round-trip form); throws on NaN or ±Infinity. */
export function finiteText(x: number, where: () => string): string {
  if (!Number.isFinite(x))
    throw new NonFiniteOutputError(
      `the output would have ${String(x)} at ${where()} (bug: a quantity was not computed)`,
    );
  return String(x);
}

/** Writes text chunks to stdout, waiting for the stream to drain (bounded memory for any size). */
export async function writeStdout(chunks: Iterable<string>): Promise<void> {
  for (const c of chunks) {
    if (!process.stdout.write(c)) {
      await new Promise<void>((resolve, reject) => {
        const done = (err?: Error) => {
          process.stdout.off("drain", done);
          process.stdout.off("error", done);
          if (err) reject(err);
          else resolve();
        };
        process.stdout.once("drain", done);
        process.stdout.once("error", done);
      });
    }
  }
}

/** Writes text (or UTF-8 byte) chunks to a file atomically (nothing is left behind if a chunk throws). */
export async function writeChunks(file: string, chunks: Iterable<string | Uint8Array>): Promise<void> {
  await writeFileAtomic(file, chunks);
}

const isTypedArray = (x: unknown): x is ArrayLike<number> => ArrayBuffer.isView(x) && !(x instanceof DataView);

/**
 * Walks a document and throws NonFiniteOutputError at the first NaN, ±Infinity or null (naming its path), so that
 * a streamed output can be checked completely before its first byte goes out. Typed arrays are checked element by
 * element without copying them.
 */
export function checkDocument(doc: unknown, path = ""): void {
  const where = (k: string | number) => (path === "" ? String(k) : `${path}.${k}`);
  if (doc === null)
    throw new NonFiniteOutputError(`the JSON output would have null at ${path || "the top level"} (bug)`);
  if (typeof doc === "number") {
    if (!Number.isFinite(doc))
      throw new NonFiniteOutputError(
        `the JSON output would have ${String(doc)} at ${path || "the top level"} (bug: a quantity was not computed)`,
      );
    return;
  }
  if (isTypedArray(doc)) {
    for (let i = 0; i < doc.length; i++) {
      if (!Number.isFinite(doc[i]))
        throw new NonFiniteOutputError(
          `the JSON output would have ${String(doc[i])} at ${where(i)} (bug: a quantity was not computed)`,
        );
    }
    return;
  }
  if (Array.isArray(doc)) {
    doc.forEach((x, i) => checkDocument(x, where(i)));
    return;
  }
  if (typeof doc === "object" && doc !== undefined) {
    for (const [k, v] of Object.entries(doc as Record<string, unknown>))
      if (v !== undefined) checkDocument(v, where(k));
  }
}

/** Bytes of number text (jsonChunks' numeric arrays) before they are handed on as text: 64 KiB, made on first use. */
const NUMBER_CHUNK = 65536;
/**
 * Arrays of at least this many numbers go through the byte writer: 2.2x less CPU than String(x) per number on 1.2
 * million numbers, about even at 40000 in a fresh process (the byte writer is not compiled yet), 5 ms slower at 1000.
 */
const BYTES_FROM = 20000;
let numberBytes: Uint8Array | undefined;
/** The first `n` bytes (ASCII) of `bytes` as a string. */
const asciiText = (bytes: Uint8Array, n: number) => Buffer.from(bytes.buffer, bytes.byteOffset, n).toString("latin1");

/**
 * JSON text of a document in chunks, for documents of any size (a sweep of millions of points): objects indented
 * by two spaces, arrays of numbers (typed arrays too) on one line, numbers in full precision; members that are
 * undefined are left out. Every chunk ends between two tokens. Check the document with checkDocument first: a
 * non-finite number met here still throws, but part of the text may have gone out.
 */
export function* jsonChunks(doc: unknown, flushAt = 65536): Generator<string> {
  let buffer = "";
  function* put(s: string): Generator<string> {
    buffer += s;
    if (buffer.length >= flushAt) {
      yield buffer;
      buffer = "";
    }
  }
  function* value(x: unknown, indent: string, path: string): Generator<string> {
    if (typeof x === "number") return yield* put(finiteText(x, () => path || "the top level"));
    if (typeof x === "string") return yield* put(JSON.stringify(x));
    if (typeof x === "boolean") return yield* put(String(x));
    if (x === null || x === undefined)
      throw new NonFiniteOutputError(`the JSON output would have null at ${path || "the top level"} (bug)`);
    if (isTypedArray(x) || (Array.isArray(x) && x.length > 0 && x.every((v) => typeof v === "number"))) {
      const a = x as ArrayLike<number>;
      if (a.length < BYTES_FROM) {
        yield* put("[");
        for (let i = 0; i < a.length; i++) yield* put((i > 0 ? ", " : "") + finiteText(a[i], () => `${path}.${i}`));
        return yield* put("]");
      }
      // Long arrays are written as bytes (io/numberText.ts: String(x)'s text without a string per number), handed on
      // as text every NUMBER_CHUNK bytes; nothing stays in the shared byte buffer across a yield.
      const bytes = (numberBytes ??= new Uint8Array(NUMBER_CHUNK + 32));
      bytes[0] = 0x5b; // [
      let p = 1;
      for (let i = 0; i < a.length; i++) {
        const v = a[i];
        if (!Number.isFinite(v)) finiteText(v, () => `${path}.${i}`); // throws
        if (i > 0) {
          bytes[p++] = 0x2c; // ,
          bytes[p++] = 0x20;
        }
        p = writeNumber(v, bytes, p);
        if (p >= NUMBER_CHUNK) {
          const text = asciiText(bytes, p);
          p = 0;
          yield* put(text);
        }
      }
      bytes[p++] = 0x5d; // ]
      return yield* put(asciiText(bytes, p));
    }
    const inner = `${indent}  `;
    if (Array.isArray(x)) {
      if (x.length === 0) return yield* put("[]");
      yield* put("[");
      for (let i = 0; i < x.length; i++) {
        yield* put(`${i > 0 ? "," : ""}\n${inner}`);
        yield* value(x[i], inner, path === "" ? String(i) : `${path}.${i}`);
      }
      return yield* put(`\n${indent}]`);
    }
    const entries = Object.entries(x as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return yield* put("{}");
    yield* put("{");
    let first = true;
    for (const [k, v] of entries) {
      yield* put(`${first ? "" : ","}\n${inner}${JSON.stringify(k)}: `);
      first = false;
      yield* value(v, inner, path === "" ? k : `${path}.${k}`);
    }
    yield* put(`\n${indent}}`);
  }
  yield* value(doc, "", "");
  yield buffer + "\n";
}

/** CSV of a table whose cells are numbers or text, streamed as UTF-8 bytes in chunks of about `chunkBytes` (numbers
 * in full precision, exactly String(x)'s text, written without making a string per number (io/numberText.ts); text
 * quoted when needed), after `comments` as `#` lines (provenance). A non-finite number throws NonFiniteOutputError
 * naming its row and column. */
export function* csvRows(
  header: readonly string[],
  rows: number,
  row: (i: number, out: (number | string)[]) => void,
  chunkBytes = 1 << 18,
  comments: readonly string[] = [],
): Generator<Uint8Array> {
  const cell = (v: number | string, where: () => string) =>
    typeof v === "number" ? finiteText(v, where) : /[",\n\r#]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  const encoder = new TextEncoder();
  const head =
    commentLines(comments)
      .map((c) => c + "\n")
      .join("") +
    header.map((h) => cell(h, () => "the header")).join(",") +
    "\n";
  yield encoder.encode(head);
  const values = new Array<number | string>(header.length).fill(0);
  const columns = header.length;
  const limit = Math.max(1024, chunkBytes);
  let buffer = new Uint8Array(limit + 64 * columns);
  let pos = 0;
  for (let i = 0; i < rows; i++) {
    row(i, values);
    for (let c = 0; c < columns; c++) {
      if (c > 0) buffer[pos++] = 44; // ","
      const v = values[c];
      if (typeof v === "number" && Number.isFinite(v)) pos = writeNumber(v, buffer, pos);
      else {
        // text (or a non-finite number, which throws): encoded where it fits, the buffer grown if it does not
        const text = cell(v, () => `column "${header[c]}", row ${i + 1}`);
        const need = pos + 3 * text.length + 64 * columns;
        if (need > buffer.length) {
          const grown = new Uint8Array(need + limit);
          grown.set(buffer.subarray(0, pos));
          buffer = grown;
        }
        pos += encoder.encodeInto(text, buffer.subarray(pos)).written;
      }
    }
    buffer[pos++] = 10; // "\n"
    if (pos >= limit) {
      yield buffer.subarray(0, pos);
      buffer = new Uint8Array(limit + 64 * columns);
      pos = 0;
    }
  }
  if (pos > 0) yield buffer.subarray(0, pos);
}
