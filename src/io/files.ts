// Node-only file output: atomic writes (temp file + fsync + rename) and CSV
// serialisation of figure tables that refuses non-finite numbers.
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import type { Table } from "../figures/figure.js";

/** What writeFileAtomic accepts: the whole content, or chunks (sync or async) streamed to disk. */
export type WriteData =
  | string
  | Uint8Array
  | Iterable<string | Uint8Array>
  | AsyncIterable<string | Uint8Array>;

function isChunks(data: WriteData): data is Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array> {
  return typeof data !== "string" && !(data instanceof Uint8Array);
}

/**
 * Write `data` to `file` atomically: the content goes to a temp file in the same
 * directory, is fsynced and then renamed over `file`. Parent directories are created.
 * On any error the temp file is removed and `file` is left as it was (absent or old content).
 */
export async function writeFileAtomic(file: string, data: WriteData): Promise<void> {
  const dir = path.dirname(path.resolve(file));
  await fs.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(tmp, "wx", 0o644);
    if (isChunks(data)) {
      for await (const chunk of data as AsyncIterable<string | Uint8Array>) {
        await handle.writeFile(chunk);
      }
    } else {
      await handle.writeFile(data);
    }
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.rename(tmp, file);
  } catch (err) {
    if (handle) await handle.close().catch(() => undefined);
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
  // Make the rename durable; not every platform can fsync a directory.
  try {
    const d = await fs.open(dir, "r");
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch {
    /* best effort */
  }
}

function csvField(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * Serialise a table as CSV (RFC 4180 quoting, "\n" line ends). Numbers are written
 * with full precision (`String(x)`); a non-finite number throws an Error naming the
 * column and row, so no NaN or Infinity is ever written to a result.
 */
export function tableToCsv(table: Table): string {
  const { columns, rows } = table;
  const out: string[] = [columns.map(csvField).join(",")];
  rows.forEach((row, r) => {
    if (row.length !== columns.length) {
      throw new Error(`CSV row ${r} has ${row.length} values but the table has ${columns.length} columns`);
    }
    out.push(
      row
        .map((v, c) => {
          if (typeof v === "number") {
            if (!Number.isFinite(v)) {
              throw new Error(`CSV refuses non-finite value ${String(v)} in column "${columns[c]}", row ${r}`);
            }
            return String(v);
          }
          return csvField(String(v));
        })
        .join(","),
    );
  });
  return out.join("\n") + "\n";
}

/** Write a table as CSV, atomically. */
export async function writeCsv(file: string, table: Table): Promise<void> {
  await writeFileAtomic(file, tableToCsv(table));
}
