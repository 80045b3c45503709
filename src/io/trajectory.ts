/**
 * Trajectory files (Node): rows of numbers streamed to disk as a simulation runs, as CSV or Parquet (chosen by the
 * file's extension), with bounded memory: rows are handed over a segment at a time and written before the next
 * segment is computed (at most one segment's rows are held). The file is written atomically (files.ts
 * writeFileAtomic: a temp file renamed when the run finishes): a run that fails or is interrupted leaves no
 * trajectory behind.
 *
 * Provenance: CSV files start with `#` comment lines (ness version, command, model, parameters, seed, replica,
 * units, the columns; read them with pandas.read_csv(file, comment="#")); Parquet files carry the same as key-value
 * metadata (ness.version, ness.command, ness.model, ness.parameters, ness.seed, ness.replica, ness.units,
 * ness.columns) and are written by parquet-wasm from Apache Arrow record batches, one row group per segment.
 * readTrajectory reads either back (for `ness plot-trajectory`).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Float64, Table, makeVector, tableFromIPC, tableToIPC } from "apache-arrow";
import { requireObject, requireString } from "../arguments.js";
import { NessError } from "../errors.js";
import { FileError, writeFileAtomic } from "./files.js";

const require = createRequire(import.meta.url);

/** What a trajectory file records about where its numbers come from. */
export interface TrajectoryProvenance {
  version: string;
  /** The command line that wrote it. */
  command: string;
  /** The model's name and fingerprint. */
  model: string;
  /** The parameters that fix the numbers (JSON). */
  parameters: Record<string, unknown>;
  seed: number;
  replica: number;
  /** Units of the columns, in words. */
  units: string;
  /** Other facts, one line each (burn-in, restart). */
  notes: string[];
}

/** Trajectory formats, by extension. */
export type TrajectoryFormat = "csv" | "parquet";

/** The format of a trajectory file name (FileError naming `option` for any other extension). */
export function trajectoryFormat(file: string, option: string): TrajectoryFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === ".csv") return "csv";
  if (ext === ".parquet") return "parquet";
  throw new FileError(`${option} ${file}: give a .csv or .parquet file name (the format follows the extension)`);
}

function csvField(v: string): string {
  return /[",\n\r#]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

const oneLine = (s: string) => s.replace(/[\r\n]+/g, " ");

/** The `#` header lines of a CSV trajectory. */
export function trajectoryHeader(p: TrajectoryProvenance, columns: string[]): string[] {
  return [
    `# ness ${p.version} simulate trajectory; replica ${p.replica}; seed ${p.seed}`,
    `# command: ${oneLine(p.command)}`,
    `# model: ${oneLine(p.model)}`,
    `# parameters: ${JSON.stringify(p.parameters)}`,
    `# units: ${oneLine(p.units)}`,
    ...p.notes.map((n) => `# ${oneLine(n)}`),
    `# columns: ${columns.join(", ")}`,
  ];
}

/** A trajectory being written: rows go in segment by segment; close() renames the file into place. */
export interface TrajectoryWriter {
  readonly file: string;
  readonly columns: string[];
  /** Appends rows (columns.length numbers each); resolves once they are handed to the file (backpressure). */
  write(rows: Float64Array): Promise<void>;
  /** Finishes the file (atomic rename). */
  close(): Promise<void>;
  /** Gives up: no file is left behind. */
  abort(): Promise<void>;
}

/** A one-slot queue of chunks read by an async iterator: push waits until the previous chunk is taken. */
class ChunkQueue<T> implements AsyncIterable<T> {
  private items: T[] = [];
  private ended = false;
  private failure: Error | null = null;
  private wake: (() => void) | null = null;
  private taken: (() => void) | null = null;

  async push(item: T): Promise<void> {
    while (this.items.length > 0 && !this.failure) await new Promise<void>((r) => (this.taken = r));
    this.items.push(item);
    this.wake?.();
  }
  end(): void {
    this.ended = true;
    this.wake?.();
  }
  fail(err: Error): void {
    this.failure = err;
    this.wake?.();
    this.taken?.();
  }
  async next(): Promise<IteratorResult<T>> {
    for (;;) {
      if (this.failure) throw this.failure;
      if (this.items.length > 0) {
        const value = this.items.shift()!;
        this.taken?.();
        return { value, done: false };
      }
      if (this.ended) return { value: undefined, done: true };
      await new Promise<void>((r) => (this.wake = r));
    }
  }
  [Symbol.asyncIterator](): AsyncIterator<T> {
    return { next: () => this.next() };
  }
}

/** Rows per Parquet row group for rows of `width` numbers (at most 2^21 numbers, 16 MB). */
export function rowGroupRows(width: number): number {
  return Math.max(1, Math.floor(2 ** 21 / Math.max(1, width)));
}

/**
 * Opens a trajectory file for streaming (nothing appears at `file` until close()). Every number must be finite
 * (a non-finite one aborts the file with an Error naming its column).
 *
 * @example
 * ```ts
 * import { mkdtempSync, rmSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { openTrajectory, readTrajectory } from "ness/node";
 *
 * const dir = mkdtempSync(join(tmpdir(), "ness-example-"));
 * const file = join(dir, "t.parquet"); // or t.csv
 * const provenance = { version: "1", command: "example", model: "none", parameters: {}, seed: 0, replica: 0, units: "none", notes: [] };
 * const w = openTrajectory(file, ["step", "time", "x"], provenance);
 * await w.write(Float64Array.of(1, 0.1, 0.5, 2, 0.2, 0.25)); // two rows
 * await w.close();
 * console.log(Array.from(readTrajectory(file).data[2]).join(", ")); // => 0.5, 0.25
 * rmSync(dir, { recursive: true, force: true });
 * ```
 */
export function openTrajectory(file: string, columns: string[], provenance: TrajectoryProvenance): TrajectoryWriter {
  requireString(file, "openTrajectory: the file name");
  if (!Array.isArray(columns) || columns.length === 0 || !columns.every((c) => typeof c === "string"))
    throw new NessError("openTrajectory: the columns must be a non-empty list of names");
  requireObject(provenance, "openTrajectory: the provenance");
  const format = trajectoryFormat(file, "--trajectory");
  const width = columns.length;
  const cancelled = new Error("trajectory aborted");
  let aborted = false;
  const check = (rows: Float64Array) => {
    if (rows.length % width !== 0) throw new Error(`internal: ${rows.length} numbers are not rows of ${width}`);
    for (let i = 0; i < rows.length; i++)
      if (!Number.isFinite(rows[i]))
        throw new Error(`internal: a non-finite number in trajectory column ${columns[i % width]}`);
  };
  let done: Promise<void>;
  let push: (rows: Float64Array) => Promise<void>;
  let finish: () => void;
  let fail: (err: Error) => void;
  if (format === "csv") {
    const q = new ChunkQueue<string>();
    void q.push(trajectoryHeader(provenance, columns).join("\n") + "\n" + columns.map(csvField).join(",") + "\n");
    done = writeFileAtomic(file, q);
    push = async (rows) => {
      const lines: string[] = [];
      for (let r = 0; r < rows.length; r += width) {
        const cells: string[] = new Array(width);
        for (let c = 0; c < width; c++) cells[c] = String(rows[r + c]);
        lines.push(cells.join(","));
      }
      if (lines.length > 0) await q.push(lines.join("\n") + "\n");
    };
    finish = () => q.end();
    fail = (err) => q.fail(err);
  } else {
    const pq = require("parquet-wasm/node") as typeof import("parquet-wasm/node");
    const q = new ChunkQueue<Float64Array>();
    const iterator = q[Symbol.asyncIterator]();
    const source = new ReadableStream({
      async pull(controller) {
        try {
          const r = await iterator.next();
          if (r.done) return controller.close();
          const rows = r.value;
          const n = rows.length / width;
          const vectors: Record<string, ReturnType<typeof makeVector>> = {};
          columns.forEach((c, k) => {
            const col = new Float64Array(n);
            for (let i = 0; i < n; i++) col[i] = rows[i * width + k];
            vectors[c] = makeVector({ type: new Float64(), data: col, length: n });
          });
          const table = pq.Table.fromIPCStream(tableToIPC(new Table(vectors), "stream"));
          for (const b of table.recordBatches()) controller.enqueue(b);
        } catch (err) {
          controller.error(err);
        }
      },
    });
    const metadata = new Map<string, string>([
      ["ness.version", provenance.version],
      ["ness.command", provenance.command],
      ["ness.model", provenance.model],
      ["ness.parameters", JSON.stringify(provenance.parameters)],
      ["ness.seed", String(provenance.seed)],
      ["ness.replica", String(provenance.replica)],
      ["ness.units", provenance.units],
      ["ness.notes", provenance.notes.join("\n")],
      ["ness.columns", columns.join(", ")],
    ]);
    const props = new pq.WriterPropertiesBuilder()
      .setCompression(pq.Compression.SNAPPY)
      .setMaxRowGroupSize(rowGroupRows(width))
      // Doubles of a trajectory do not repeat: dictionaries (a buffer per column) would only cost memory and time.
      .setDictionaryEnabled(false)
      .setKeyValueMetadata(metadata)
      .build();
    // The writer may end its byte stream normally when its source fails: an aborted file must still fail its write.
    const guarded = async function* (bytes: AsyncIterable<Uint8Array>) {
      for await (const chunk of bytes) {
        if (aborted) throw cancelled;
        yield chunk;
      }
      if (aborted) throw cancelled;
    };
    done = pq
      .transformParquetStream(source, props)
      .then((bytes) => writeFileAtomic(file, guarded(bytes as unknown as AsyncIterable<Uint8Array>)));
    push = async (rows) => {
      if (rows.length > 0) await q.push(rows);
    };
    finish = () => q.end();
    fail = (err) => q.fail(err);
  }
  // A failed write surfaces at the next write or at close; an abort's own failure is expected.
  let failure: unknown = null;
  done.catch((err) => (failure ??= err));
  return {
    file,
    columns,
    async write(rows) {
      if (failure) throw failure;
      check(rows);
      await push(rows);
    },
    async close() {
      finish();
      await done;
    },
    async abort() {
      aborted = true;
      fail(cancelled);
      await done.catch(() => undefined);
    },
  };
}

/** A trajectory read back: its columns, rows and provenance lines. */
export interface TrajectoryData {
  columns: string[];
  /** One Float64Array per column. */
  data: Float64Array[];
  /** The provenance (CSV `#` lines, or Parquet metadata as "key: value" lines). */
  provenance: string[];
}

/**
 * Reads a CSV or Parquet trajectory written by openTrajectory (FileError naming the file otherwise).
 *
 * @example
 * ```ts
 * import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { readTrajectory } from "ness/node";
 *
 * const dir = mkdtempSync(join(tmpdir(), "ness-example-"));
 * writeFileSync(join(dir, "t.csv"), "# ness 0.1.0 simulate trajectory; replica 0; seed 1\nstep,time,q:a\n1,0.1,0.3\n");
 * const t = readTrajectory(join(dir, "t.csv"));
 * console.log(t.columns.join(" "), t.provenance[0]); // => step time q:a ness 0.1.0 simulate trajectory; replica 0; seed 1
 * rmSync(dir, { recursive: true, force: true });
 * ```
 */
export function readTrajectory(file: string): TrajectoryData {
  requireString(file, "readTrajectory: the file name");
  const format = trajectoryFormat(file, "plot-trajectory");
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new FileError(
      `cannot read ${file}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a folder" : (code ?? String(err))}`,
    );
  }
  if (format === "parquet") {
    const pq = require("parquet-wasm/node") as typeof import("parquet-wasm/node");
    let table: Table;
    try {
      table = tableFromIPC(pq.readParquet(bytes).intoIPCStream());
    } catch {
      throw new FileError(`${file} is not a Parquet file ness can read`);
    }
    const columns = table.schema.fields.map((f) => f.name);
    const data = columns.map((c) => Float64Array.from(table.getChild(c)!.toArray() as ArrayLike<number>));
    const meta = table.schema.metadata;
    return { columns, data, provenance: [...meta.entries()].map(([k, v]) => `${k}: ${v}`) };
  }
  const text = bytes.toString("utf8");
  const lines = text.split(/\r?\n/);
  const provenance: string[] = [];
  let at = 0;
  while (at < lines.length && lines[at].startsWith("#")) provenance.push(lines[at++].replace(/^#\s?/, ""));
  if (at >= lines.length || lines[at].trim() === "") throw new FileError(`${file}: no header line of column names`);
  const columns = parseCsvLine(lines[at++]);
  const cols: number[][] = columns.map(() => []);
  for (let i = at; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === "" || line.startsWith("#")) continue;
    const cells = line.split(",");
    if (cells.length !== columns.length)
      throw new FileError(`${file}: line ${i + 1} has ${cells.length} values for ${columns.length} columns`);
    for (let c = 0; c < cells.length; c++) {
      const v = Number(cells[c]);
      if (cells[c].trim() === "" || !Number.isFinite(v))
        throw new FileError(`${file}: line ${i + 1}, column ${columns[c]}: '${cells[c]}' is not a finite number`);
      cols[c].push(v);
    }
  }
  return { columns, data: cols.map((c) => Float64Array.from(c)), provenance };
}

/** One CSV line's fields (RFC 4180 quotes). */
function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = "",
    quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out;
}
