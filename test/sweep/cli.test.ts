// ness sweep on the embedded store (in process): results, exports with provenance, resume, duplicates, plot.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { tableFromIPC } from "apache-arrow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { solveNetwork } from "../../src/exact/network.js";
import { SweepStore } from "../../src/io/sweepStore.js";
import { parseModelText, validateModel, type NetworkModel } from "../../src/model/index.js";
import { sweepFigure } from "../../src/sweep/plot.js";
import { expectCsvProvenance } from "../helpers/csv.js";
import { runCli } from "../helpers/cli.js";

const require = createRequire(import.meta.url);
const chain = path.resolve("examples/networks/example1-chain.yaml");
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "ness-sweep-cli-"));
  writeFileSync(
    path.join(dir, "s.yaml"),
    `base: {model: ${JSON.stringify(chain)}}
axes:
  - {path: "baths[0].temperature", values: [10, 50, 10, 100]}
  - {path: "springs[2-3].stiffness", log: "0.1:10:3"}
compute: {kind: exact}
outputs: ["springs[2-3].flux", entropyProduction]
seed: 3
`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("ness sweep (embedded store)", () => {
  it("stores each distinct point once, equal to a direct solve, and exports CSV and Parquet with provenance", async () => {
    const out = path.join(dir, "a");
    const r = await runCli("sweep", path.join(dir, "s.yaml"), "--out", out, "--workers", "1", "--no-progress");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("12 points (9 distinct): 9 computed, 0 without a result");
    const store = SweepStore.openExisting(out);
    const pts = [...store.points()];
    store.close();
    expect(pts).toHaveLength(9);
    const raw = parseModelText(readFileSync(chain, "utf8")) as {
      baths: { temperature: number }[];
      springs: { stiffness: number }[];
    };
    for (const p of pts) {
      raw.baths[0].temperature = p.values[0];
      raw.springs[1].stiffness = p.values[1];
      const ss = solveNetwork(validateModel(raw) as NetworkModel, { bySource: false }); // the sweep's own path
      expect(p.outputs).toEqual({ "springs[2-3].flux": ss.springs[1].flux, entropyProduction: ss.entropyProduction });
    }
    const csv = readFileSync(path.join(out, "results.csv"), "utf8").split("\n");
    expect(csv[0]).toMatch(/^# ness 0\.1\.0 sweep [0-9a-f]{16}; seed 3; 12 points$/);
    expect(csv[1]).toContain('# spec: {"base"');
    expect(csv[2]).toBe(
      "index,key,baths[0].temperature,springs[2-3].stiffness,springs[2-3].flux,entropyProduction,seconds,worker",
    );
    expect(csv.filter((l) => /^\d/.test(l))).toHaveLength(9);
    const pq = require("parquet-wasm/node") as typeof import("parquet-wasm/node");
    const table = tableFromIPC(pq.readParquet(readFileSync(path.join(out, "results.parquet"))).intoIPCStream());
    expect(table.numRows).toBe(9);
    expect(table.schema.metadata.get("ness.version")).toBe("0.1.0");
    expect(table.schema.metadata.get("ness.seed")).toBe("3");
    expect(JSON.parse(table.schema.metadata.get("ness.spec")!).outputs).toEqual([
      "springs[2-3].flux",
      "entropyProduction",
    ]);
    expect(Array.from(table.getChild("entropyProduction")!.toArray() as Float64Array)).toEqual(
      pts.map((p) => p.outputs!.entropyProduction),
    );
  });

  it("refuses to overwrite a sweep; --resume of a complete sweep computes nothing and keeps every row", async () => {
    const out = path.join(dir, "a");
    const again = await runCli("sweep", path.join(dir, "s.yaml"), "--out", out, "--no-progress");
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("already holds a sweep (sweep.sqlite): add --resume");
    const r = await runCli(
      "sweep",
      path.join(dir, "s.yaml"),
      "--out",
      out,
      "--resume",
      "--workers",
      "1",
      "--no-progress",
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("9 computed");
  });

  it("--resume with a changed spec is refused", async () => {
    writeFileSync(
      path.join(dir, "t.yaml"),
      readFileSync(path.join(dir, "s.yaml"), "utf8").replace("seed: 3", "seed: 4"),
    );
    const r = await runCli(
      "sweep",
      path.join(dir, "t.yaml"),
      "--out",
      path.join(dir, "a"),
      "--resume",
      "--no-progress",
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("holds another sweep");
  });

  it("ness plot draws lines and a heatmap from the store, and names what it cannot draw", async () => {
    const out = path.join(dir, "a");
    const lines = await runCli(
      "plot",
      out,
      "--x",
      "baths[0].temperature",
      "--y",
      "springs[2-3].flux",
      "--color",
      "springs[2-3].stiffness",
    );
    expect(lines.code).toBe(0);
    expect(existsSync(path.join(out, "springs_2-3_.flux-vs-baths_0_.temperature.svg"))).toBe(true);
    const heat = await runCli(
      "plot",
      out,
      "--x",
      "baths[0].temperature",
      "--y",
      "springs[2-3].stiffness",
      "--color",
      "entropyProduction",
      "--figure",
      path.join(out, "h.csv"),
    );
    expect(heat.code).toBe(0);
    // The figure's CSV carries the provenance of the other CSVs: version, command, sweep, seed, spec, units.
    const h = expectCsvProvenance(path.join(out, "h.csv"), {
      command: /command: ness plot \S+ --x 'baths\[0\]\.temperature' .* --figure \S+h\.csv; sweep [0-9a-f]{16}/,
      seed: 3,
    });
    expect(h.comments.some((c) => c.startsWith('spec: {"base"'))).toBe(true);
    expect(h.comments.join("\n")).toMatch(/^units: kB = 1; the model file's units/m);
    expect(h.header).not.toMatch(/=/);
    expect(h.lines.length).toBeGreaterThan(8);
    const mixed = await runCli("plot", out, "--x", "baths[0].temperature", "--y", "springs[2-3].flux");
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toContain("also varies springs[2-3].stiffness");
  });

  it("simulated points: the same stored results on 1 and 2 worker threads (replicas inside a point)", async () => {
    writeFileSync(
      path.join(dir, "sim.yaml"),
      `base: {model: ${JSON.stringify(chain)}}
axes: [{path: "baths[0].temperature", range: "10:100:8"}]
compute: {kind: simulate, time: 20, dt: 0.05, replicas: 3}
outputs: ["springs[2-3].flux", "estimates[kinetic temperature][2]"]
seed: 11
`,
    );
    const rows = async (out: string, workers: string) => {
      const r = await runCli(
        "sweep",
        path.join(dir, "sim.yaml"),
        "--out",
        path.join(dir, out),
        "--workers",
        workers,
        "--no-progress",
      );
      expect(r.stderr).toBe("");
      const s = SweepStore.openExisting(path.join(dir, out));
      const m = new Map([...s.points()].map((p) => [p.key, p.outputs]));
      s.close();
      return m;
    };
    const one = await rows("w1", "1");
    expect(one.size).toBe(8);
    expect(await rows("w2", "2")).toEqual(one);
    for (const o of one.values()) expect(o!["springs[2-3].flux.error"]).toBeGreaterThan(0);
  });

  it("sweepFigure: error bars for measured outputs; unknown names refused", () => {
    const rows = [1, 2, 3].map((x) => ({ values: [x], outputs: { f: 2 * x, "f.error": 0.1 } }));
    const fig = sweepFigure({ axes: ["T"], columns: ["f", "f.error"], rows, x: "T", y: "f" });
    expect(fig.table.columns.some((c) => /err/i.test(c))).toBe(true);
    expect(() => sweepFigure({ axes: ["T"], columns: ["f", "f.error"], rows, x: "T", y: "g" })).toThrow(
      "not an output of this sweep (outputs: f)",
    );
    expect(() => sweepFigure({ axes: ["T"], columns: ["f", "f.error"], rows, x: "k", y: "f" })).toThrow(
      "not an axis of this sweep",
    );
  });
});
