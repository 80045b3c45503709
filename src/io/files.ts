// Node-only file output: atomic writes (temp file + fsync + rename), checks of output paths before any work, removal
// of temp files left behind by a killed run, and CSV serialisation of figure tables that refuses non-finite numbers.
import { randomBytes } from "node:crypto";
import {
  accessSync,
  constants,
  lstatSync,
  readdirSync,
  realpathSync,
  rmSync,
  statSync,
  unlinkSync,
  type Stats,
} from "node:fs";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { requireObject } from "../arguments.js";
import { ModelError, NessError } from "../errors.js";
import type { Table } from "../figures/figure.js";

/** An output or input path that cannot be used (missing, not a regular file, on a kernel file system...). */
export class FileError extends NessError {
  override name = "FileError";
}

/** What writeFileAtomic accepts: the whole content, or chunks (sync or async) streamed to disk. */
export type WriteData = string | Uint8Array | Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>;

function isChunks(data: WriteData): data is Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array> {
  return typeof data !== "string" && !(data instanceof Uint8Array);
}

/** Kernel file systems: writing there is never a result (and `mkdir -p /proc/x` can fail in odd ways). */
const KERNEL_FS = ["/proc", "/sys"];
const onKernelFs = (abs: string) => KERNEL_FS.find((k) => abs === k || abs.startsWith(`${k}/`));

/** What a non-regular file is, for messages. */
export function fileKind(st: Stats): string {
  if (st.isDirectory()) return "a folder";
  if (st.isFIFO()) return "a named pipe (FIFO)";
  if (st.isCharacterDevice() || st.isBlockDevice()) return "a device";
  if (st.isSocket()) return "a socket";
  return st.isFile() ? "a regular file" : "not a regular file";
}

const errno = (err: unknown) => (err as NodeJS.ErrnoException).code;

/** stat(), or undefined when nothing is there (ENOENT) or a parent is a file (ENOTDIR). */
function statOrNothing(p: string): Stats | undefined {
  try {
    return statSync(p);
  } catch (err) {
    if (errno(err) === "ENOENT" || errno(err) === "ENOTDIR") return undefined;
    throw err;
  }
}

/**
 * Checks, before any work, that `target` can be written as a file (kind "file") or used as an output folder
 * (kind "folder") without creating anything: not empty, not on /proc or /sys, an existing target of the right type,
 * and the nearest existing folder above it writable (missing folders are created only when the first file is
 * written). Throws a FileError naming `option` (e.g. "--figure"); returns the absolute path (lexically normalised:
 * `sub/../x.png` is `./x.png`, so no folder `sub` is needed or made).
 */
export function checkOutputPath(target: string, option: string, kind: "file" | "folder"): string {
  const what = kind === "file" ? "a file name" : "a folder name";
  if (target.trim() === "") throw new FileError(`${option} needs ${what}, got ''`);
  if (target.includes("\0")) throw new FileError(`${option} '${target}': the name contains a NUL character`);
  const abs = path.resolve(target);
  const shown = `${option} ${target}`;
  if (
    kind === "file" &&
    (/[/\\]$/.test(target) || [".", ".."].includes(path.basename(target)) || abs === path.parse(abs).root)
  ) {
    throw new FileError(`${shown}: names a folder; give a file name`);
  }
  const kernel = onKernelFs(abs);
  if (kernel) throw new FileError(`${shown}: ${kernel} is a kernel file system, not a place for results`);
  const st = statOrNothing(abs);
  if (st) {
    if (kind === "file" && !st.isFile())
      throw new FileError(`${shown}: exists and is ${fileKind(st)}, not a regular file`);
    if (kind === "folder" && !st.isDirectory())
      throw new FileError(`${shown}: exists and is ${fileKind(st)}, not a folder`);
  }
  // The nearest existing folder at or above the one the file goes into.
  let dir = kind === "folder" ? abs : path.dirname(abs);
  let dst = statOrNothing(dir);
  while (!dst) {
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
    dst = statOrNothing(dir);
  }
  if (!dst) throw new FileError(`${shown}: no existing folder above it`);
  if (!dst.isDirectory()) throw new FileError(`${shown}: ${dir} is ${fileKind(dst)}, not a folder`);
  const real = realpathSync(dir);
  const realKernel = onKernelFs(real);
  if (realKernel)
    throw new FileError(`${shown}: ${dir} is on ${realKernel}, a kernel file system, not a place for results`);
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (err) {
    const why = errno(err) === "EROFS" ? "is on a read-only file system" : "is not writable";
    throw new FileError(`${shown}: the folder ${dir} ${why}`);
  }
  return abs;
}

// Temp files of writes in flight (removed on an early exit), and folders already swept for stale ones.
const inFlight = new Set<string>();
const swept = new Set<string>();
let exitHook = false;

/** Removes, synchronously, the temp files of writes still in flight (an exit in the middle of a write). */
export function removeTempFilesInFlight(): void {
  for (const tmp of inFlight) rmSync(tmp, { force: true });
  inFlight.clear();
}

/** Our temp files: `.NAME.PID.HEX12.tmp` (writeFileAtomic). */
const TEMP_NAME = /^\.(.+)\.(\d{1,10})\.([0-9a-f]{12})\.tmp$/;
/** A temp file of ours older than this is stale even if its PID is alive again (PIDs are reused). */
export const STALE_TEMP_AGE_MS = 24 * 3600 * 1000;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errno(err) === "EPERM"; // alive, someone else's
  }
}

/**
 * Removes temp files that an earlier ness left in `dir` when it was killed in the middle of an atomic write: only
 * names of our pattern, only regular files owned by this user, and only when the process that made them is gone
 * or they are older than STALE_TEMP_AGE_MS (`ownPid`: also this process's, from a worker thread that was stopped).
 * Never another program's files; never a temp file of a write in flight in this thread. Returns the names removed.
 * Best effort: a folder that cannot be listed is left alone.
 */
export function removeStaleTempFiles(dir: string, options: { now?: number; ownPid?: boolean } = {}): string[] {
  const now = options.now ?? Date.now();
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  const uid = process.getuid?.();
  for (const name of names) {
    const m = TEMP_NAME.exec(name);
    if (!m) continue;
    const file = path.join(dir, name);
    if (inFlight.has(file)) continue;
    try {
      const st = lstatSync(file);
      if (!st.isFile() || (uid !== undefined && st.uid !== uid)) continue;
      const pid = Number(m[2]);
      const old = now - st.mtimeMs > STALE_TEMP_AGE_MS;
      const stale = old || (pid === process.pid ? options.ownPid === true : !processAlive(pid));
      if (!stale) continue;
      unlinkSync(file);
      removed.push(name);
    } catch {
      /* gone meanwhile, or not ours to remove */
    }
  }
  return removed;
}

/**
 * Write `data` to `file` atomically: the content goes to a temp file in the same directory, is fsynced and then
 * renamed over `file`. Parent directories are created (only now, when a file is actually written). The first write
 * into a folder removes temp files of ours left there by a killed run (removeStaleTempFiles). On any error the temp
 * file is removed and `file` is left as it was (absent or old content); on an exit in the middle of the write, the
 * temp file is removed by an exit hook.
 */
export async function writeFileAtomic(file: string, data: WriteData): Promise<void> {
  const target = path.resolve(file);
  const kernel = onKernelFs(target);
  if (kernel) throw new FileError(`cannot write ${file}: ${kernel} is a kernel file system, not a place for results`);
  const dir = path.dirname(target);
  await fs.mkdir(dir, { recursive: true });
  if (!swept.has(dir)) {
    swept.add(dir);
    removeStaleTempFiles(dir);
  }
  if (!exitHook) {
    exitHook = true;
    process.on("exit", removeTempFilesInFlight);
  }
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  let handle: fs.FileHandle | undefined;
  inFlight.add(tmp);
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
    await fs.rename(tmp, target);
  } catch (err) {
    if (handle) await handle.close().catch(() => undefined);
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  } finally {
    inFlight.delete(tmp);
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
 *
 * @example
 * ```ts
 * import { tableToCsv } from "ness/node";
 *
 * console.log(tableToCsv({ columns: ["x", "y"], rows: [[1, 2], [3, 4]] }).includes("x,y")); // => true
 * ```
 */
export function tableToCsv(table: Table, comments: readonly string[] = []): string {
  requireObject(table, "tableToCsv: the table");
  if (!Array.isArray(table.columns) || !Array.isArray(table.rows))
    throw new NessError("tableToCsv: the table needs a list of columns and a list of rows");
  if (!Array.isArray(comments)) throw new NessError("tableToCsv: the comments must be a list of lines");
  const { columns, rows } = table;
  const described = columns.filter((c) => table.descriptions?.[c] !== undefined);
  const columnLine =
    described.length > 0 ? [`columns: ${described.map((c) => `${c}: ${table.descriptions![c]}`).join("; ")}`] : [];
  const out: string[] = [...commentLines([...comments, ...columnLine]), columns.map(csvField).join(",")];
  rows.forEach((row, r) => {
    if (row.length !== columns.length) {
      throw new ModelError(`CSV row ${r} has ${row.length} values but the table has ${columns.length} columns`);
    }
    out.push(
      row
        .map((v, c) => {
          if (typeof v === "number") {
            if (!Number.isFinite(v)) {
              throw new ModelError(`CSV refuses non-finite value ${String(v)} in column "${columns[c]}", row ${r}`);
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

/** `#` comment lines (provenance) before a CSV file's column names: each starts with "#", on one line. */
export function commentLines(comments: readonly string[]): string[] {
  return comments.map((c) => {
    const line = c.replace(/[\r\n]+/g, " ");
    return line.startsWith("#") ? line : `# ${line}`;
  });
}

/** Write a table as CSV, atomically (after `comments` as `#` lines). */
export async function writeCsv(file: string, table: Table, comments: readonly string[] = []): Promise<void> {
  await writeFileAtomic(file, tableToCsv(table, comments));
}
