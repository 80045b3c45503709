// The network examples that illustrate Eckmann & Zabey's remarks (J. Stat. Phys., doi:10.1023/B:JOSS.0000003119.91989.48)
// solve with the fluxes their comments document: the triangle inside a chain (a circulation: the soft side of the
// triangle carries heat backwards) and Example 4's heat pump with phi_{5->6} < 0. Energy balance at every site is
// checked independently of the solver's own residual.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadModel, solveNetwork, type NetworkModel } from "../../src/index.js";

const example = (name: string) =>
  loadModel(readFileSync(new URL(`../../examples/networks/${name}`, import.meta.url), "utf8")) as NetworkModel;

/** The flux from a to b along the spring between them (solveNetwork gives i -> j in the order of the file). */
function flux(r: ReturnType<typeof solveNetwork>, a: string, b: string): number {
  const s = r.springs.find(
    (x) => (x.between[0] === a && x.between[1] === b) || (x.between[0] === b && x.between[1] === a),
  )!;
  return s.between[0] === a ? s.flux : -s.flux;
}

/** Largest imbalance over sites: bath flux in plus spring fluxes in. */
function imbalance(m: NetworkModel, r: ReturnType<typeof solveNetwork>): number {
  let worst = 0;
  for (const site of r.sites) {
    let net = 0;
    for (const s of r.springs) {
      if (s.between[1] === site) net += s.flux;
      if (s.between[0] === site) net -= s.flux;
    }
    for (const b of r.baths) if (b.site === site) net += b.flux;
    worst = Math.max(worst, Math.abs(net));
  }
  void m;
  return worst;
}

describe("network examples (examples/networks/)", () => {
  it("triangle-in-chain: 0.3923 from L to R, 0.4167 along 1 -> 2, 0.02437 back around 2 -> 3 -> 1", () => {
    const m = example("triangle-in-chain.yaml");
    const r = solveNetwork(m);
    expect(flux(r, "L", "1")).toBeCloseTo(0.3923, 4);
    expect(flux(r, "2", "R")).toBeCloseTo(0.3923, 4);
    expect(flux(r, "1", "2")).toBeCloseTo(0.4167, 4);
    expect(flux(r, "2", "3")).toBeCloseTo(0.02437, 5);
    expect(flux(r, "3", "1")).toBeCloseTo(0.02437, 5);
    // a circulation: the direct bond carries more than the chain does
    expect(flux(r, "1", "2")).toBeGreaterThan(flux(r, "L", "1"));
    expect(imbalance(m, r)).toBeLessThan(1e-10);
  });

  it("example4-heat-pump-reversed: phi 5->6 = -0.04132 < 0 while 4 -> 6 -> 3 pumps 0.1680 into the hotter bath 3", () => {
    const m = example("example4-heat-pump-reversed.yaml");
    const r = solveNetwork(m);
    expect(flux(r, "5", "6")).toBeCloseTo(-0.04132, 5);
    expect(flux(r, "6", "3")).toBeCloseTo(0.168, 4);
    expect(flux(r, "1", "5")).toBeCloseTo(2.399, 3);
    const bath3 = r.baths.find((b) => b.site === "3")!;
    expect(bath3.flux).toBeLessThan(0); // heat goes into bath 3 (T = 7.0) ...
    expect(r.baths.find((b) => b.site === "4")!.flux).toBeGreaterThan(0); // ... out of bath 4 (T = 6.8)
    expect(imbalance(m, r)).toBeLessThan(1e-10);
    // phi 5->6 is linear in T2 and vanishes at T2 = 3.5411 (physics notes): its sign changes between 3.4 and 3.6.
    const text = readFileSync(
      new URL("../../examples/networks/example4-heat-pump-reversed.yaml", import.meta.url),
      "utf8",
    );
    const at = (T2: number) =>
      flux(solveNetwork(loadModel(text.replace("temperature: 3.4}", `temperature: ${T2}}`)) as NetworkModel), "5", "6");
    expect(at(3.6)).toBeCloseTo(0.017, 3);
    expect(Math.abs(at(3.5411))).toBeLessThan(1e-4);
  });
});
