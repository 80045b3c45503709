/**
 * Exports of a sweep's store (Node): DIR/results.csv and DIR/results.parquet (the computed points, in the order of
 * the sweep: index, key, axis values, outputs, seconds, worker) and, when some points have no result,
 * DIR/failures.csv (index, key, axis values, the reason). Every number is finite (a point whose output is not is
 * stored as failed), so no empty cell stands for a number.
 *
 * Provenance: the Parquet file's key-value metadata holds ness.version, ness.seed, ness.sweep (the sweep's identity)
 * and ness.spec (the spec as JSON); the CSV files start with `#` comment lines carrying the same (read them with
 * pandas.read_csv(..., comment="#")). Parquet is written by parquet-wasm from an Apache Arrow table.
 */
import { createRequire } from "node:module";
import { Float64, Int32, Table, Utf8, makeVector, tableToIPC, vectorFromArray } from "apache-arrow";
import { writeFileAtomic } from "./files.js";
import type { StoredPoint, SweepStore } from "./sweepStore.js";

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

export interface ExportSummary {
  files: string[];
  done: number;
  failed: number;
}

/** Writes the exports of a store into `dir` (atomically, each file whole or absent). */
export async function writeSweepExports(store: SweepStore, dir: string): Promise<ExportSummary> {
  const { axes, columns } = store.meta;
  const done: StoredPoint[] = [];
  const failed: StoredPoint[] = [];
  for (const p of store.points()) (p.status === "done" ? done : failed).push(p);
  const files: string[] = [];
  const cols = ["index", "key", ...axes, ...columns, "seconds", "worker"];
  const lines = [...header(store), cols.map(csvField).join(",")];
  for (const p of done) {
    lines.push(
      [
        String(p.index),
        p.key,
        ...p.values.map(String),
        ...columns.map((c) => String(p.outputs![c])),
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
  const { axes, columns } = store.meta;
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
  for (const c of columns)
    vectors[c] = makeVector({ type: new Float64(), data: Float64Array.from(done, (p) => p.outputs![c]), length: n });
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
