// ness solve --method auto when the dense Lyapunov solve refuses a network as beyond double precision (time scales
// too far apart for the Lyapunov equation): the frequency integrals run instead, the method line says so, and their
// answer is checked against 60-digit Lyapunov solves in mpmath (scripts/fuzz-exact-reference.py with --values). Where
// the integrals do not resolve the network either, the refusal stands and nothing is written; --method lyapunov
// keeps refusing.
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli as run } from "../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "ness-dense-fallback-"));
const file = (name: string, text: string) => {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
};

// Masses 1e-6, 1, 1e6 along a pinned chain, baths at the ends: refused by the dense solve (its drift is too far from
// normal). 60-digit reference: bath fluxes +-3.8461695266523895958e-8, kinetic temperatures 1.9999999999999615383,
// 1.9999998461527573969, 1.038461695266523896.
const masses = file(
  "masses.yaml",
  `kind: network
sites: [a, b, c]
masses: {a: 1e-6, b: 1, c: 1e6}
pinning: 1
springs: [{between: [a, b], stiffness: 1}, {between: [b, c], stiffness: 1}]
baths: [{site: a, friction: 1, temperature: 2}, {site: c, friction: 1, temperature: 1}]
`,
);
// A pinning 1e-30 of the spring: the centre of mass relaxes 1e-30 times slower. Reference: bath fluxes +-0.25.
const weakPin = file(
  "weak-pin.yaml",
  `kind: network
sites: [a, b]
pinning: 1e-30
springs: [{between: [a, b], stiffness: 1}]
baths: [{site: a, friction: 1, temperature: 2}, {site: b, friction: 1, temperature: 1}]
`,
);

interface Quantity {
  flux: number;
  error: number;
}

describe("ness solve --method auto falls back to the frequency integrals when the dense solve is beyond double precision", () => {
  it("masses spanning 1e12: the fluxes and kinetic temperatures within their errors of the 60-digit solve", async () => {
    const r = await run("solve", masses, "--json");
    expect(r.code, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout) as {
      method: string;
      methodReason: string;
      baths: Quantity[];
      kineticTemperature: Record<string, number>;
      kineticTemperatureError: Record<string, number>;
    };
    expect(d.method).toBe("transmission");
    expect(d.methodReason).toMatch(
      /auto chose the dense Lyapunov solve .*cannot be computed in double precision.*span .*; fell back to the frequency integrals;/,
    );
    // The fallback answered: the refusal's advice to change the model is not repeated.
    expect(d.methodReason).not.toContain("fewer orders of magnitude");
    const ref = 3.8461695266523896e-8;
    expect(Math.abs(d.baths[0].flux - ref)).toBeLessThanOrEqual(d.baths[0].error + 1e-16 * ref);
    expect(Math.abs(d.baths[1].flux + ref)).toBeLessThanOrEqual(d.baths[1].error + 1e-16 * ref);
    expect(d.baths[0].error).toBeLessThan(1e-6 * ref);
    const kt = [1.9999999999999616, 1.9999998461527575, 1.038461695266524];
    ["a", "b", "c"].forEach((site, i) =>
      expect(Math.abs(d.kineticTemperature[site] - kt[i])).toBeLessThanOrEqual(
        d.kineticTemperatureError[site] + 4e-16 * kt[i],
      ),
    );
  });

  it("a pinning 1e-30 of the spring: the fluxes 0.25 (text output, the method line says why)", async () => {
    const r = await run("solve", weakPin);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /method: transmission \(.*auto chose the dense Lyapunov solve.*fell back to the frequency integrals/,
    );
    expect(r.stdout).not.toContain("fewer orders of magnitude");
    const j = await run("solve", weakPin, "--json");
    const d = JSON.parse(j.stdout) as { baths: Quantity[] };
    expect(Math.abs(d.baths[0].flux - 0.25)).toBeLessThanOrEqual(d.baths[0].error + 1e-16);
  });

  it("--method lyapunov still refuses, with the physical reason", async () => {
    const r = await run("solve", weakPin, "--method", "lyapunov");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^ness: .*weak-pin\.yaml: the steady state exists .* but cannot be computed in double precision/,
    );
    expect(r.stderr).toContain("; keep the model's numbers within fewer orders of magnitude");
  });

  it("where the integrals do not resolve the network either, the refusal stands with theirs, and no figure is written", async () => {
    const stiff = file(
      "stiff.yaml",
      `kind: network
sites: [a, b, c]
pinning: 1e-50
springs: [{between: [a, b], stiffness: 1e50}, {between: [b, c], stiffness: 1e-50}]
baths: [{site: a, friction: 1, temperature: 2}, {site: c, friction: 1, temperature: 1}]
`,
    );
    const figure = join(dir, "stiff.svg");
    const r = await run("solve", stiff, "--figure", figure);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(
      /cannot be computed in double precision.*the frequency integrals \(--method transmission\) did not resolve it either \(quadratureError /,
    );
    expect(existsSync(figure)).toBe(false);
  });
});
