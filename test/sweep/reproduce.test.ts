// `ness reproduce` runs figure sets declared as point maps as resumable sweeps: a reproduce killed (SIGKILL) in the
// middle of a map and run again with --resume computes only the points not stored (each distinct point once over
// both runs), and assembles the results a library caller gets from the figure set's own compute(). Runs
// bin/ness.js processes (needs dist/).
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SweepStore, type StoredPoint } from "../../src/io/sweepStore.js";
import { particleBathChain } from "../../src/studies/particle-bath-chain/definition.js";
import { twoTemperature } from "../../src/studies/two-temperature/definition.js";
import { plainPoint } from "../../src/studies/pointMap.js";
import { runCli } from "../helpers/cli.js";
import { expectReproductionProvenance } from "../helpers/csv.js";

const bin = path.resolve("bin/ness.js");
let dir: string;
beforeAll(() => void (dir = mkdtempSync(path.join(tmpdir(), "ness-reproduce-resume-"))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function storedRows(out: string, id = "fig4-ndc"): StoredPoint[] {
  const where = path.join(out, ".sweeps", id);
  if (!existsSync(path.join(where, "sweep.sqlite"))) return [];
  try {
    const s = SweepStore.openExisting(where);
    try {
      return [...s.points()];
    } finally {
      s.close();
    }
  } catch {
    return []; // being created
  }
}

describe("ness reproduce --resume", () => {
  it("a reproduce killed mid-map resumes with every point computed exactly once, and the same results", async () => {
    const out = path.join(dir, "ndc");
    // Two worker threads: each chunk of at most 16 points is stored as it arrives (in one thread, points are stored
    // in batches of about a second, which on an idle machine may hold the whole map).
    // --quick: the figure's simulated points (its last, longest point) stay cheap enough to compute twice here.
    const args = ["reproduce", "particle-bath-chain", "--only", "fig4-ndc", "--quick", "--workers", "2", "--out", out];
    const first = spawn(process.execPath, [bin, ...args], { stdio: "ignore" });
    const exited = new Promise<number | null>((r) => first.once("exit", (code) => r(code)));
    // Kill it as soon as a batch of points is stored (the quick figure has about 200 exact points and one simulation).
    const end = Date.now() + 120_000;
    while (storedRows(out).length === 0 && first.exitCode === null && Date.now() < end)
      await new Promise((r) => setTimeout(r, 50));
    first.kill("SIGKILL");
    await exited;
    const before = storedRows(out);
    expect(before.length).toBeGreaterThan(0);
    expect(existsSync(path.join(out, "fig4-ndc.results.json"))).toBe(false);

    const again = await runCli(...args, "--resume");
    expect(again.stderr).toBe("");
    expect(again.code).toBe(0);
    const m = /(\d+) points(?: \((\d+) distinct\))?: (\d+) to compute \((\d+) already in /.exec(again.stdout);
    expect(m, again.stdout).not.toBeNull();
    const distinct = Number(m![2] ?? m![1]),
      todo = Number(m![3]),
      done = Number(m![4]);
    // Every distinct point once: those stored before the kill are not computed again, the others are.
    expect(new Set(before.map((r) => r.key)).size).toBe(before.length);
    expect(done).toBe(before.length);
    expect(todo).toBe(distinct - before.length);
    expect(todo).toBeGreaterThan(0);
    // The set is complete: its point store gave way to its results.json.
    expect(existsSync(path.join(out, ".sweeps"))).toBe(false);

    // The assembled results are those of the figure set's own compute (points in turn, in this process).
    const set = particleBathChain.reproduce.find((c) => c.id === "fig4-ndc")!;
    const parameters = set.parameters(true);
    const direct = plainPoint(await set.compute(parameters, { seed: set.seed ?? 1, quick: true }));
    const written = JSON.parse(readFileSync(path.join(out, "fig4-ndc.results.json"), "utf8")) as { results: unknown };
    expect(written.results).toEqual(direct);

    // and its figure written as by a whole `ness reproduce particle-bath-chain --quick` (which
    // test/studies/particle-bath-chain/cli.test.ts runs for the other sets only), with the provenance of its CSV and JSON
    for (const ext of ["svg", "png", "csv"])
      expect(existsSync(path.join(out, `fig4-ndc.${ext}`)), `fig4-ndc.${ext}`).toBe(true);
    expect(expectReproductionProvenance(out, "particle-bath-chain")).toBe(2);

    // Resumed again: the set is complete, nothing is computed.
    const third = await runCli(...args, "--resume");
    expect(third.code).toBe(0);
    expect(third.stdout).toContain("already complete");
  }, 240_000);

  it("the quick demixing map (one simulation per point) resumes with only the missing points computed", async () => {
    const id = "fig6-demixing-map";
    const out = path.join(dir, "demixing");
    const args = ["reproduce", "two-temperature", "--quick", "--only", id, "--workers", "2", "--out", out];
    const first = spawn(process.execPath, [bin, ...args], { stdio: "ignore" });
    const exited = new Promise<number | null>((r) => first.once("exit", (code) => r(code)));
    // Six points (3 ratios x 2 sizes) in chunks of one: killed once the first is stored, before the larger ones end.
    const end = Date.now() + 120_000;
    while (storedRows(out, id).length === 0 && first.exitCode === null && Date.now() < end)
      await new Promise((r) => setTimeout(r, 20));
    first.kill("SIGKILL");
    await exited;
    const before = storedRows(out, id);
    expect(before.length).toBeGreaterThan(0);
    expect(before.length).toBeLessThan(6);
    expect(existsSync(path.join(out, `${id}.results.json`))).toBe(false);

    const again = await runCli(...args, "--resume");
    expect(again.stderr).toBe("");
    expect(again.code).toBe(0);
    const m = /(\d+) points: (\d+) to compute \((\d+) already in /.exec(again.stdout);
    expect(m, again.stdout).not.toBeNull();
    expect(Number(m![1])).toBe(6);
    expect(Number(m![3])).toBe(before.length);
    expect(Number(m![2])).toBe(6 - before.length);
    expect(existsSync(path.join(out, ".sweeps"))).toBe(false);
    // and its figure written as by a whole `ness reproduce two-temperature --quick` (which cli.test.ts runs for the
    // other sets only)
    for (const ext of ["svg", "png", "csv"])
      expect(existsSync(path.join(out, `${id}.${ext}`)), `${id}.${ext}`).toBe(true);

    // The same results as the set's own compute() in this process (identical JSON: the engine leaves out the
    // statistics it cannot define, so results.json is the library's JSON as it is).
    const set = twoTemperature.reproduce.find((c) => c.id === id)!;
    const direct = plainPoint(await set.compute(set.parameters(true), { seed: set.seed ?? 1, quick: true }));
    const written = JSON.parse(readFileSync(path.join(out, `${id}.results.json`), "utf8")) as { results: unknown };
    expect(JSON.stringify(written.results)).toBe(JSON.stringify(direct));
  }, 120_000);

  it("--only names a figure set of the study", async () => {
    const r = await runCli("reproduce", "particle-bath-chain", "--only", "fig9", "--out", path.join(dir, "x"));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--only: particle-bath-chain has no figure set 'fig9' (one of: ");
    expect(existsSync(path.join(dir, "x"))).toBe(false);
  });
});
