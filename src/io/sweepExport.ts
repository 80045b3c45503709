/**
 * Exports of a sweep's store (Node): DIR/results.csv and DIR/results.parquet (the computed points, in the order of
 * the sweep: index, key, axis values, outputs, seconds, worker; after each stochastic output's `<output>.error`, its
 * `<output>.reliable` flag, true or false, and `<output>.note`, why it is not reliable, empty when it is or when the
 * engine gave no reason; a store of an earlier ness that kept no flags has neither) and, when some points have no result,
 * DIR/failures.csv (index, key, axis values, the reason). Every number is finite (a point whose output is not is
 * stored as failed), so no empty cell stands for a number.
 *
 * Provenance: the Parquet file's key-value metadata holds ness.version, ness.seed, ness.sweep (the sweep's identity)
 * and ness.spec (the spec as JSON); the CSV files start with `#` comment lines carrying the same (read them with
 * pandas.read_csv(..., comment="#")). Parquet is written by parquet-wasm from an Apache Arrow table.
 */
import { createRequire } from "node:module";
import { Bool, Float64, Int32, Table, Utf8, makeVector, tableToIPC, vectorFromArray } from "apache-arrow";
import { writeFileAtomic } from "./files.js";
import { measuredOutputs, type StoredPoint, type SweepStore } from "./sweepStore.js";

const require = createRequire(import.meta.url);

function csvField(v: string): string {
  return /[",\n\r#]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function header(store: SweepStore): string[] {
  const m = store.meta;
  return [
    `# ness ${m.version} sweep ${m.sweepId}; seed ${m.seed}; ${m.points} points`,
    `# spec: ${m.spec.replace(/[\r\n]/g, " ")}`,
  ];
}

/** A point's flag for a stochastic output (one recorded by no ness: not reliable, and said so). */
function flagOf(p: StoredPoint, output: string): { reliable: boolean; note: string } {
  const f = p.flags?.[output];
  return f
    ? { reliable: f.reliable, note: f.note ?? "" }
    : { reliable: false, note: "no reliability flag was recorded" };
}

/**
 * The export's output columns: the store's columns, each stochastic output's error followed by its `.reliable` and
 * `.note` columns when the store keeps flags. Each column reads a point's cell as a number, a flag or a note.
 */
function exportColumns(store: SweepStore): { name: string; kind: "number" | "reliable" | "note"; of: string }[] {
  const { columns } = store.meta;
  const measured = new Set(store.hasFlags ? measuredOutputs(columns) : []);
  return columns.flatMap((c) => {
    const o = c.endsWith(".error") ? c.slice(0, -6) : "";
    const cell = { name: c, kind: "number" as const, of: c };
    return measured.has(o)
      ? [
          cell,
          { name: `${o}.reliable`, kind: "reliable" as const, of: o },
          { name: `${o}.note`, kind: "note" as const, of: o },
        ]
      : [cell];
  });
}

export interface ExportSummary {
  files: string[];
  done: number;
  failed: number;
}

/** Writes the exports of a store into `dir` (atomically, each file whole or absent). */
export async function writeSweepExports(store: SweepStore, dir: string): Promise<ExportSummary> {
  const { axes } = store.meta;
  const columns = exportColumns(store);
  const done: StoredPoint[] = [];
  const failed: StoredPoint[] = [];
  for (const p of store.points()) (p.status === "done" ? done : failed).push(p);
  const files: string[] = [];
  const cols = ["index", "key", ...axes, ...columns.map((c) => c.name), "seconds", "worker"];
  const cell = (p: StoredPoint, c: (typeof columns)[number]) =>
    c.kind === "number"
      ? String(p.outputs![c.of])
      : c.kind === "reliable"
        ? String(flagOf(p, c.of).reliable)
        : csvField(flagOf(p, c.of).note);
  const lines = [...header(store), cols.map(csvField).join(",")];
  for (const p of done) {
    lines.push(
      [
        String(p.index),
        p.key,
        ...p.values.map(String),
        ...columns.map((c) => cell(p, c)),
        String(p.seconds),
        csvField(p.worker),
      ].join(","),
    );
  }
  const csv = `${dir}/results.csv`;
  await writeFileAtomic(csv, lines.join("\n") + "\n");
  files.push(csv);
  const parquet = `${dir}/results.parquet`;
  await writeFileAtomic(parquet, toParquet(store, done));
  files.push(parquet);
  if (failed.length > 0) {
    const f = [...header(store), ["index", "key", ...axes, "error"].map(csvField).join(",")];
    for (const p of failed)
      f.push([String(p.index), p.key, ...p.values.map(String), csvField(p.error ?? "")].join(","));
    const file = `${dir}/failures.csv`;
    await writeFileAtomic(file, f.join("\n") + "\n");
    files.push(file);
  }
  return { files, done: done.length, failed: failed.length };
}

function toParquet(store: SweepStore, done: StoredPoint[]): Uint8Array {
  const { axes } = store.meta;
  const n = done.length;
  const vectors: Record<string, ReturnType<typeof makeVector>> = {};
  vectors.index = makeVector({ type: new Int32(), data: Int32Array.from(done, (p) => p.index) });
  vectors.key = vectorFromArray(
    done.map((p) => p.key),
    new Utf8(),
  );
  axes.forEach(
    (a, k) =>
      (vectors[a] = makeVector({ type: new Float64(), data: Float64Array.from(done, (p) => p.values[k]), length: n })),
  );
  for (const c of exportColumns(store))
    vectors[c.name] =
      c.kind === "number"
        ? makeVector({ type: new Float64(), data: Float64Array.from(done, (p) => p.outputs![c.of]), length: n })
        : c.kind === "reliable"
          ? vectorFromArray(
              done.map((p) => flagOf(p, c.of).reliable),
              new Bool(),
            )
          : vectorFromArray(
              done.map((p) => flagOf(p, c.of).note),
              new Utf8(),
            );
  vectors.seconds = makeVector({ type: new Float64(), data: Float64Array.from(done, (p) => p.seconds), length: n });
  vectors.worker = vectorFromArray(
    done.map((p) => p.worker),
    new Utf8(),
  );
  const table = new Table(vectors);
  const pq = require("parquet-wasm/node") as typeof import("parquet-wasm/node");
  const m = store.meta;
  const metadata = new Map<string, string>([
    ["ness.version", m.version],
    ["ness.seed", String(m.seed)],
    ["ness.sweep", m.sweepId],
    ["ness.spec", m.spec],
  ]);
  const props = new pq.WriterPropertiesBuilder()
    .setCompression(pq.Compression.SNAPPY)
    .setKeyValueMetadata(metadata)
    .build();
  return pq.writeParquet(pq.Table.fromIPCStream(tableToIPC(table, "stream")), props);
}
