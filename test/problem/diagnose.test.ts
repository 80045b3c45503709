// Lemma 1 diagnoses against an independent test: the exact rank (BigInt, fraction-free elimination) of the Kalman
// matrix [e_H, A e_H, ..., A^(n-1) e_H] with A = M^-1 V. The number of normal modes that vanish on every bath site is
// n - rank; every reported mode must be a normal mode (V u = omega^2 M u) that vanishes on the bath sites.
import { describe, expect, it } from "vitest";
import { solveNetwork } from "../../src/exact/network.js";
import { bathlessComponents, decoupledModes, diagnoseNetwork, forcedSites } from "../../src/problem/diagnose.js";
import { potentialMatrix } from "../../src/problem/network.js";
import { SteadyStateError } from "../../src/errors.js";
import { validateNetwork, type NetworkModel } from "../../src/model/network.js";
import { rng } from "../helpers/random.js";

/** Exact rank of an integer matrix (rows of BigInt) by Bareiss elimination. */
function exactRank(rows: bigint[][]): number {
  const a = rows.map((r) => r.slice());
  const m = a.length,
    n = m ? a[0].length : 0;
  let rank = 0,
    prev = 1n;
  for (let col = 0; col < n && rank < m; col++) {
    let piv = rank;
    while (piv < m && a[piv][col] === 0n) piv++;
    if (piv === m) continue;
    [a[rank], a[piv]] = [a[piv], a[rank]];
    for (let r = rank + 1; r < m; r++) {
      for (let c = col + 1; c < n; c++) a[r][c] = (a[rank][col] * a[r][c] - a[r][col] * a[rank][c]) / prev;
      a[r][col] = 0n;
    }
    prev = a[rank][col];
    rank++;
  }
  return rank;
}

/** n - rank of the Kalman matrix of (2 M^-1 V, e_H), for integer stiffness and pinning and masses 1 or 2. */
function uncontrollableDimension(m: NetworkModel): number {
  const n = m.sites.length;
  const V = potentialMatrix(m).data;
  // 2 M^-1 V is an integer matrix when masses are 1 or 2; scaling does not change the Krylov space.
  const A = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => BigInt(Math.round((2 * V[i * n + j]) / m.mass[i]))),
  );
  const columns: bigint[][] = [];
  for (const b of m.baths) {
    let v: bigint[] = Array.from({ length: n }, (_, i) => (i === b.site ? 1n : 0n));
    for (let k = 0; k < n; k++) {
      columns.push(v);
      v = A.map((row) => row.reduce((s, x, j) => s + x * v[j], 0n));
    }
  }
  // Rank of the n x (n |H|) matrix = rank of its transpose (columns as rows).
  return n - exactRank(columns);
}

function randomIntegerNetwork(seed: number): NetworkModel {
  const r = rng(seed);
  const n = 2 + Math.floor(r() * 6);
  const sites = Array.from({ length: n }, (_, k) => `s${k}`);
  const springs: { between: [string, string]; stiffness: number }[] = [];
  for (let a = 0; a < n; a++)
    for (let b = a + 1; b < n; b++) {
      if (r() < 0.45) springs.push({ between: [sites[a], sites[b]], stiffness: r() < 0.8 ? 1 : 2 });
    }
  const pinning = Object.fromEntries(sites.map((s) => [s, r() < 0.7 ? 1 : r() < 0.5 ? 0 : 2]));
  const masses = Object.fromEntries(sites.map((s) => [s, r() < 0.8 ? 1 : 2]));
  const bathSites = sites.filter(() => r() < 0.3);
  if (bathSites.length === 0) bathSites.push(sites[Math.floor(r() * n)]);
  return validateNetwork({
    kind: "network",
    sites,
    pinning,
    masses,
    springs,
    baths: bathSites.map((s) => ({ site: s, friction: 1, temperature: 1 })),
  });
}

function checkModes(m: NetworkModel) {
  const n = m.sites.length;
  const V = potentialMatrix(m).data;
  const modes = decoupledModes(m);
  for (const mode of modes) {
    for (const b of m.baths) expect(mode.shape[b.site]).toBe(0);
    const w2 = mode.frequency ** 2;
    let scale = 1;
    for (const x of V) scale = Math.max(scale, Math.abs(x));
    for (let i = 0; i < n; i++) {
      let vu = 0;
      for (let j = 0; j < n; j++) vu += V[i * n + j] * mode.shape[j];
      expect(Math.abs(vu - w2 * m.mass[i] * mode.shape[i])).toBeLessThan(1e-9 * scale);
    }
  }
  // Modes of one eigenspace are linearly independent (their number is the dimension).
  return modes;
}

describe("decoupled normal modes (Lemma 1) against the exact Kalman rank", () => {
  it("600 random networks with integer couplings (degenerate spectra, symmetric graphs, several decoupled modes)", () => {
    let withModes = 0,
      withSeveral = 0;
    for (let seed = 1; seed <= 600; seed++) {
      const m = randomIntegerNetwork(seed);
      const expected = uncontrollableDimension(m);
      const modes = checkModes(m);
      expect(modes.length, `seed ${seed}`).toBe(expected);
      if (expected > 0) withModes++;
      if (expected > 1) withSeveral++;
    }
    // The sample exercises the interesting cases.
    expect(withModes).toBeGreaterThan(100);
    expect(withSeveral).toBeGreaterThan(30);
  });

  const net = (
    sites: (string | number)[],
    springs: [string | number, string | number, number][],
    baths: (string | number)[],
    extra: object = {},
  ) =>
    validateNetwork({
      kind: "network",
      sites,
      pinning: 1,
      ...extra,
      springs: springs.map(([a, b, k]) => ({ between: [a, b], stiffness: k })),
      baths: baths.map((s) => ({ site: s, friction: 1, temperature: 1 })),
    });

  it("Figure 1 of Eckmann and Zabey: exactly one mode, q[3] - q[4], across two parts the zero-forcing sweep leaves", () => {
    const m = net(
      [1, 2, 3, 4],
      [
        [1, 3, 1],
        [1, 4, 1],
        [2, 3, 1],
        [2, 4, 1],
      ],
      [1, 2],
    );
    const modes = decoupledModes(m);
    expect(modes.map((x) => x.description)).toEqual(["q[3] - q[4]"]);
    expect(modes[0].frequency).toBeCloseTo(Math.sqrt(3), 12);
    expect(() => solveNetwork(m)).toThrow(/Lemma 1.*q\[3\] - q\[4\] \(frequency 1\.732\)/);
  });

  it("a degenerate eigenspace: three equal leaves on a hub with the bath give two modes of one frequency", () => {
    const m = net(
      ["h", "a", "b", "c"],
      [
        ["h", "a", 1],
        ["h", "b", 1],
        ["h", "c", 1],
      ],
      ["h"],
    );
    const modes = decoupledModes(m);
    expect(modes.length).toBe(uncontrollableDimension(m));
    expect(modes.length).toBe(2);
    expect(new Set(modes.map((x) => x.eigenspace)).size).toBe(1);
    expect(modes.map((x) => x.description)).toEqual(["q[a] - q[c]", "q[b] - q[c]"]);
    expect(uncontrollableDimension(m)).toBe(2);
    expect(() => solveNetwork(m)).toThrow(/and 1 more such mode\)/);
  });

  it("a symmetric ring with one bath: the modes odd under the reflection through the bath site, of two frequencies", () => {
    const m = net(
      [1, 2, 3, 4, 5],
      [
        [1, 2, 1],
        [2, 3, 1],
        [3, 4, 1],
        [4, 5, 1],
        [5, 1, 1],
      ],
      [1],
    );
    const modes = checkModes(m);
    expect(modes.length).toBe(2);
    expect(uncontrollableDimension(m)).toBe(2);
    expect(new Set(modes.map((x) => x.eigenspace)).size).toBe(2);
    // Odd: q2 = -q5 and q3 = -q4.
    for (const x of modes) {
      expect(x.shape[1]).toBeCloseTo(-x.shape[4], 12);
      expect(x.shape[2]).toBeCloseTo(-x.shape[3], 12);
    }
  });

  it("masses break the symmetry: the same ring with one heavier site has no decoupled mode", () => {
    const m = net(
      [1, 2, 3, 4, 5],
      [
        [1, 2, 1],
        [2, 3, 1],
        [3, 4, 1],
        [4, 5, 1],
        [5, 1, 1],
      ],
      [1],
      { masses: { 2: 2 } },
    );
    expect(decoupledModes(m)).toEqual([]);
    expect(uncontrollableDimension(m)).toBe(0);
    expect(solveNetwork(m).residual).toBeLessThan(1e-12);
  });

  it("a chain with a bath at one end is cleared by zero forcing alone (no floating-point test), whatever its length", () => {
    const n = 5000;
    const sites = Array.from({ length: n }, (_, k) => k + 1);
    const m = net(
      sites,
      sites.slice(1).map((s) => [s - 1, s, 1 + (s % 7) / 10] as [number, number, number]),
      [1],
    );
    expect(forcedSites(m).every((x) => x === 1)).toBe(true);
    expect(decoupledModes(m)).toEqual([]);
  });

  it("a long chain without a steady state is refused before any dense work, with the physical reason", () => {
    const n = 2000;
    const sites = Array.from({ length: n }, (_, k) => k + 1);
    const springs = sites.slice(1).map((s) => [s - 1, s, 1] as [number, number, number]);
    // Figure 1's motif at the far end: sites x, y attached to n - 1 and n with equal springs. Two modes never meet
    // the bath: q[x] - q[y], and 2 q[n] - q[x] - q[y] (its forces on site n - 1 cancel).
    const m = net([...sites, "x", "y"], [...springs, [n - 1, "x", 1], [n - 1, "y", 1], [n, "x", 1], [n, "y", 1]], [1]);
    expect(() => solveNetwork(m)).toThrow(SteadyStateError);
    expect(() => solveNetwork(m)).toThrow(
      /the normal mode q\[x\] - q\[y\] \(frequency 1\.732\).*\(and 1 more such mode\)/,
    );
    expect(decoupledModes(m).map((x) => x.description)).toEqual(["q[x] - q[y]", "q[2000] - 0.5 q[x] - 0.5 q[y]"]);
    const isolated = net([...sites, "lonely"], springs, [1]);
    expect(bathlessComponents(isolated)).toEqual([["lonely"]]);
    expect(() => solveNetwork(isolated)).toThrow(/site lonely has no bath/);
  });

  it("quartic terms: refused when they leave a decoupled mode isolated, a warning when they couple it", () => {
    const fig1 = (quartic: [string | number, string | number][], extra: object = {}) =>
      validateNetwork({
        kind: "network",
        sites: [1, 2, 3, 4],
        pinning: 1,
        ...extra,
        springs: [
          [1, 3],
          [1, 4],
          [2, 3],
          [2, 4],
          [3, 4],
        ]
          .filter(([a, b]) => b !== 4 || a !== 3 || quartic.some(([x, y]) => x === 3 && y === 4))
          .map(([a, b]) => ({
            between: [a, b],
            stiffness: 1,
            quartic: quartic.some(([x, y]) => x === a && y === b) ? 0.5 : 0,
          })),
        baths: [
          { site: 1, friction: 1, temperature: 1 },
          { site: 2, friction: 1, temperature: 2 },
        ],
      });
    // Quartic springs 1-3 and 1-4 act on q3 - q4 and on the rest: coupled, a warning.
    const coupled = diagnoseNetwork(
      fig1([
        [1, 3],
        [1, 4],
      ]),
    );
    expect(coupled.problem).toBeUndefined();
    expect(coupled.warnings.join()).toMatch(/q\[3\] - q\[4\].*only the quartic terms couple it/);
    // A quartic spring 3-4 acts on q3 - q4 alone: the mode stays an isolated (anharmonic) oscillator.
    expect(diagnoseNetwork(fig1([[3, 4]])).problem).toMatch(/no quartic term couples it/);
    // Quartic pinning on 3 and 4 (equal): q3 - q4 mixes with q3 + q4, which meets the baths.
    expect(diagnoseNetwork(fig1([], { quarticPinning: { 3: 1, 4: 1 } })).problem).toBeUndefined();
    // Quartic pinning on a site far from the mode (site 1) leaves it alone.
    expect(diagnoseNetwork(fig1([], { quarticPinning: { 1: 1 } })).problem).toMatch(/no quartic term couples it/);
  });

  it("confinement with quartic terms: quartic pinning confines, quartic springs do not", () => {
    const chain = (extra: object, quartic = 0) =>
      validateNetwork({
        kind: "network",
        sites: [1, 2],
        ...extra,
        springs: [{ between: [1, 2], stiffness: 1, quartic }],
        baths: [{ site: 1, friction: 1, temperature: 1 }],
      });
    expect(diagnoseNetwork(chain({}, 1)).problem).toMatch(
      /not confined: sites 1, 2 are not pinned \(neither pinning nor quarticPinning/,
    );
    expect(diagnoseNetwork(chain({ quarticPinning: { 2: 1 } })).problem).toBeUndefined();
  });
});
