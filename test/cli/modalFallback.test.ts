// ness solve --method auto when the modal method's pole search does not converge (ModalPoleSearchError): the
// frequency integrals run instead and the output says so; --method modal keeps refusing. No network is known whose
// Aberth-Ehrlich search fails within its 200 sweeps, so the refusal is injected at the seam: solveNetworkModal is
// stubbed to throw it (the fallback on a real refusal, ModalNarrowModeError, is tested in
// test/studies/harmonic-conduction/cli.test.ts; on a real ModalDegeneratePoleError below).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SteadyStateError } from "../../src/errors.js";
import { ModalDegeneratePoleError, ModalPoleSearchError, solveNetworkModal } from "../../src/exact/modal.js";
import { chooseSolveMethod } from "../../src/exact/solveCost.js";
import { solveByModalOrFallBack } from "../../src/cli/commands/solveModal.js";
import { loadModel } from "../../src/model/index.js";
import type { NetworkModel } from "../../src/model/network.js";
import { runCli as run } from "../helpers/cli.js";

/** What the stubbed solveNetworkModal does: solve, refuse with ModalPoleSearchError, or throw another error. */
const stub = vi.hoisted(() => ({ mode: "solve" as "solve" | "refuse" | "other" }));

vi.mock("../../src/exact/modal.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/exact/modal.js")>();
  return {
    ...real,
    solveNetworkModal: (model: NetworkModel, options?: Parameters<typeof real.solveNetworkModal>[1]) => {
      if (stub.mode === "refuse")
        throw new real.ModalPoleSearchError(
          "the modal method's pole search did not converge (2 of 320 poles after 200 sweeps): use --method transmission or lyapunov",
          model.source,
        );
      if (stub.mode === "other") throw new SteadyStateError("no unique steady state (stubbed)", model.source);
      return real.solveNetworkModal(model, options);
    },
  };
});

afterEach(() => {
  stub.mode = "solve";
  vi.restoreAllMocks();
});

/**
 * A rows x cols grid with a bath at two corners; the default 10 x 16 (160 sites) is above auto's 150-site limit of
 * the dense solve.
 */
function grid(rows = 10, cols = 16) {
  const name = (i: number, j: number) => `g${i}_${j}`;
  const sites: string[] = [];
  const springs: { between: [string, string]; stiffness: number }[] = [];
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) sites.push(name(i, j));
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      if (i + 1 < rows)
        springs.push({ between: [name(i, j), name(i + 1, j)], stiffness: 1 + ((i * 7 + j * 3) % 5) / 10 });
      if (j + 1 < cols)
        springs.push({ between: [name(i, j), name(i, j + 1)], stiffness: 1 + ((i * 3 + j * 5) % 7) / 10 });
    }
  return {
    kind: "network",
    sites,
    pinning: Object.fromEntries(sites.map((s) => [s, 0.5])),
    springs,
    baths: [
      { site: name(0, 0), friction: 1, temperature: 2 },
      { site: name(rows - 1, cols - 1), friction: 1, temperature: 1 },
    ],
  };
}

function gridFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), "ness-pole-search-")), "grid.json");
  writeFileSync(file, JSON.stringify(grid()));
  return file;
}

const stated =
  /^auto chose the modal method \(160 sites.*\), which refused the network: the modal method's pole search did not converge \(2 of 320 poles after 200 sweeps\); fell back to the frequency integrals; estimated cost: the frequency integrals .*$/;

describe("auto's fallback from a modal pole search that did not converge", () => {
  it("solves by the frequency integrals, says so in text and --json; --method modal refuses", async () => {
    const file = gridFile();
    const model = loadModel(JSON.stringify(grid()));
    if (model.kind !== "network") throw new Error("not a network");
    expect(chooseSolveMethod(model).method).toBe("modal");
    const ref = solveNetworkModal(model); // the real modal solve (stub.mode "solve")

    stub.mode = "refuse";
    const modal = await run("solve", file, "--method", "modal");
    expect(modal.code).toBe(1);
    expect(modal.stdout).toBe("");
    expect(modal.stderr.trim().split("\n")).toHaveLength(1);
    expect(modal.stderr).toMatch(/^ness: .*pole search did not converge.*use --method transmission or lyapunov/);

    const r = await run("solve", file, "--json");
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.method).toBe("transmission");
    expect(j.methodReason).toMatch(stated);
    expect(j.methodReason).not.toContain(file);
    // The fluxes against a second method: the real modal solve, within the frequency integrals' error bars.
    j.baths.forEach((b: { flux: number; error: number }, k: number) => {
      expect(b.error).toBeLessThan(1e-3 * Math.abs(ref.baths[k].flux));
      expect(Math.abs(b.flux - ref.baths[k].flux)).toBeLessThanOrEqual(b.error + 1e-9 * Math.abs(ref.baths[k].flux));
    });

    const text = await run("solve", file);
    expect(text.code, text.stderr).toBe(0);
    const line = text.stdout.split("\n").find((l) => l.startsWith("method: "))!;
    expect(line).toMatch(/^method: transmission \(frequency integrals of the Green's function; auto chose the modal/);
    expect(line.slice(line.indexOf("; ") + 2, -1)).toMatch(stated);
  });

  it("solveByModalOrFallBack falls back only on the modal method's refusals", async () => {
    // The fallback's choice and its message do not depend on the network's size (the CLI on the 160-site grid is
    // the test above): a 3 x 4 grid keeps its frequency integrals cheap.
    const model = loadModel(JSON.stringify(grid(3, 4)), "grid.json");
    if (model.kind !== "network") throw new Error("not a network");
    const out: string[] = [];
    vi.spyOn(console, "log").mockImplementation((...a) => void out.push(a.join(" ")));

    stub.mode = "refuse";
    await solveByModalOrFallBack(model, { method: "auto", json: true }, "auto: stubbed reason");
    const j = JSON.parse(out.join("\n"));
    expect(j.method).toBe("transmission");
    expect(j.methodReason).toMatch(
      /^auto chose the modal method \(stubbed reason\), which refused the network: the modal method's pole search did not converge \(2 of 320 poles after 200 sweeps\); fell back to the frequency integrals; estimated cost: the frequency integrals /,
    );

    // Any other SteadyStateError is the answer whatever the method: thrown, nothing printed.
    out.length = 0;
    stub.mode = "other";
    const other = solveByModalOrFallBack(model, { method: "auto", json: true }, "auto: stubbed reason");
    await expect(other).rejects.toThrow(SteadyStateError);
    await expect(
      solveByModalOrFallBack(model, { method: "auto", json: true }, "auto: stubbed reason"),
    ).rejects.not.toThrow(ModalPoleSearchError);
    expect(out).toEqual([]);
  });

  it("falls back on a real ModalDegeneratePoleError (identical parts joined by a spring of 1e-12)", async () => {
    const model = loadModel(
      JSON.stringify({
        kind: "network",
        sites: ["a", "b", "c", "d"],
        pinning: { a: 1, c: 1 },
        springs: [
          { between: ["a", "b"], stiffness: 2 },
          { between: ["c", "d"], stiffness: 2 },
          { between: ["b", "d"], stiffness: 1e-12 },
        ],
        baths: [
          { site: "a", friction: 0.3, temperature: 1 },
          { site: "c", friction: 0.3, temperature: 5 },
        ],
      }),
      "twin.json",
    );
    if (model.kind !== "network") throw new Error("not a network");
    expect(() => solveNetworkModal(model)).toThrow(ModalDegeneratePoleError);
    const out: string[] = [];
    vi.spyOn(console, "log").mockImplementation((...a) => void out.push(a.join(" ")));
    // Fluxes only: the frequency integrals of its kinetic temperatures take ~4 CPU-s.
    await solveByModalOrFallBack(model, { method: "auto", json: true, fluxesOnly: true }, "auto: stubbed reason");
    const j = JSON.parse(out.join("\n"));
    expect(j.method).toBe("transmission");
    expect(j.methodReason).toMatch(
      /^auto chose the modal method \(stubbed reason\), which refused the network: the modal method cannot resolve two or more damped poles within 1e-6 of each other .*; fell back to the frequency integrals/,
    );
    // The bath fluxes against the Lyapunov equation in 45 digits (scripts/fuzz-exact-reference.py): -+1.598e-23.
    j.baths.forEach((b: { flux: number; error: number }, k: number) =>
      expect(Math.abs(b.flux - (k === 0 ? -1 : 1) * 1.5983333333301246e-23)).toBeLessThanOrEqual(b.error),
    );
  });
});
