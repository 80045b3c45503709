// Trajectory files: rows written in several pieces come back exactly (CSV and Parquet), with their provenance; an
// aborted trajectory leaves no file and no temp file; a non-finite number is refused.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openTrajectory, readTrajectory, rowGroupRows, trajectoryFormat } from "../../src/io/trajectory.js";
import { expectSameArray } from "../helpers/arrays.js";

const dir = mkdtempSync(path.join(tmpdir(), "ness-trajectory-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const provenance = {
  version: "9.9.9",
  command: "ness simulate m.yaml --trajectory t.csv",
  model: "a chain (sha256 00ff)",
  parameters: { dt: 0.01, seed: 3 },
  seed: 3,
  replica: 1,
  units: "time in the model's unit",
  notes: ["burn-in: steps 1 .. 10"],
};
const columns = ["step", "time", "q:a", "bath flux: into a"];

function rows(from: number, n: number): Float64Array {
  const out = new Float64Array(n * 4);
  for (let r = 0; r < n; r++)
    out.set([from + r, (from + r) * 0.01, Math.sin(from + r) / 3, -1e-300 * (from + r)], r * 4);
  return out;
}

describe("trajectory files", () => {
  it.each(["t.csv", "t.parquet"])("%s: rows written in pieces come back exactly, with provenance", async (name) => {
    const file = path.join(dir, name);
    const w = openTrajectory(file, columns, provenance);
    await w.write(rows(1, 5));
    await w.write(new Float64Array(0));
    await w.write(rows(6, 1000));
    await w.close();
    const t = readTrajectory(file);
    expect(t.columns).toEqual(columns);
    const all = rows(1, 1005);
    for (let c = 0; c < 4; c++)
      expectSameArray(
        t.data[c],
        Array.from({ length: 1005 }, (_, r) => all[r * 4 + c]),
      );
    const text = t.provenance.join("\n");
    for (const s of ["9.9.9", "--trajectory t.csv", "a chain", '"dt":0.01', "burn-in: steps 1 .. 10"])
      expect(text).toContain(s);
    if (name.endsWith(".csv")) {
      expect(readFileSync(file, "utf8").split("\n")[0]).toBe("# ness 9.9.9 simulate trajectory; replica 1; seed 3");
      expect(t.provenance).toContain("units: time in the model's unit");
    } else {
      expect(t.provenance).toContain("ness.replica: 1");
      expect(t.provenance).toContain("ness.seed: 3");
    }
  });

  it.each(["a.csv", "a.parquet"])("%s: an aborted trajectory leaves nothing behind", async (name) => {
    const sub = mkdtempSync(path.join(dir, "abort-"));
    const w = openTrajectory(path.join(sub, name), columns, provenance);
    await w.write(rows(1, 10));
    await w.abort();
    expect(readdirSync(sub)).toEqual([]);
  });

  it("a non-finite number is refused", async () => {
    const sub = mkdtempSync(path.join(dir, "nan-"));
    const w = openTrajectory(path.join(sub, "n.csv"), columns, provenance);
    await expect(w.write(Float64Array.of(1, 2, NaN, 4))).rejects.toThrow("column q:a");
    await w.abort();
    expect(readdirSync(sub)).toEqual([]);
  });

  it("formats by extension; row groups bounded", () => {
    expect(trajectoryFormat("x.CSV", "--t")).toBe("csv");
    expect(trajectoryFormat("x.parquet", "--t")).toBe("parquet");
    expect(() => trajectoryFormat("x.json", "--t")).toThrow("--t x.json: give a .csv or .parquet file name");
    expect(rowGroupRows(4000) * 4000).toBeLessThanOrEqual(2 ** 22);
    expect(rowGroupRows(10 ** 9)).toBe(1);
  });
});
