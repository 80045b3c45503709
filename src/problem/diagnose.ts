/**
 * Why a model has no unique steady state, in physical terms, found before any expensive solve or simulation (both
 * engines run these checks). A network:
 *  - an unconfined part: a connected group of sites with no pinning (harmonic or quartic) translates freely;
 *  - a part without a bath: a connected group of sites with no bath keeps its energy forever;
 *  - (underdamped) a normal mode that vanishes on every bath site never meets a bath (Lemma 1 of J.-P. Eckmann and
 *    E. Zabey, "Strange heat flux in (an)harmonic networks", J. Stat. Phys., doi:10.1023/B:JOSS.0000003119.91989.48: the span of V^k e_i over
 *    the bath sites i is not the whole space). With quartic terms, such a mode of the harmonic part may still be
 *    coupled to the rest by them: the network is refused only when a set of these modes is left isolated (no quartic
 *    term mixes it with the other coordinates), otherwise a warning says that it thermalises only through them.
 * A particle model in open space: every particle held by a harmonic trap, directly or through harmonic pairs
 * (particleConfinementProblem).
 *
 * Cost. The first two are graph searches (linear in sites + springs). The decoupled modes are the eigenvectors of the
 * mass-weighted stiffness W = M^-1/2 V M^-1/2 orthogonal to the Krylov space K spanned by W^k e_h over bath sites h.
 * A "zero forcing" sweep first proves e_s in K for as many sites s as it can, exactly and in linear time: bath sites
 * are in K, and when every neighbour but one (j) of a site s in K is in K, then W e_s in K gives e_j in K (W_sj != 0
 * for a spring). For a chain, a tree or a lattice with a bath along one side it reaches every site, and the network is
 * cleared without any floating-point work. Otherwise only the unreached sites U remain: a decoupled mode vanishes on
 * the reached ones, so it is an eigenvector v of W_UU with W_SU v = 0, found by a dense eigen-decomposition of each
 * connected part of U (O(|U|^3) at most, not O(n^3)); an eigenspace (degenerate, or shared by several parts) is
 * handled as a whole: the combinations it holds with W_SU v = 0 are the null space of W_SU restricted to it.
 */
import { symmetricEigen } from "../linalg/eigen.js";
import { matrix } from "../linalg/matrix.js";
import { ModelError, SteadyStateError } from "../errors.js";
import { checkNetworkModel, isLinearNetwork, type NetworkModel } from "../model/networkModel.js";
import { checkLinear } from "./network.js";

/** Connected groups of sites through springs, each as ascending site indices. */
export function springComponents(model: NetworkModel): number[][] {
  checkNetworkModel(model, "springComponents");
  const n = model.sites.length;
  const parent = Int32Array.from({ length: n }, (_, k) => k);
  const find = (k: number): number => {
    while (parent[k] !== k) k = parent[k] = parent[parent[k]];
    return k;
  };
  for (const s of model.springs) parent[find(s.i)] = find(s.j);
  const groups = new Map<number, number[]>();
  for (let k = 0; k < n; k++) {
    const r = find(k);
    let g = groups.get(r);
    if (!g) groups.set(r, (g = []));
    g.push(k);
  }
  return [...groups.values()];
}

/**
 * Connected groups of sites (through springs) with no pinning at all, neither harmonic nor quartic: each can
 * translate freely. (Quartic springs act on differences of positions only and confine nothing.)
 */
export function unpinnedComponents(model: NetworkModel): string[][] {
  checkNetworkModel(model, "unpinnedComponents");
  return springComponents(model)
    .filter((g) => g.every((k) => model.pinning[k] === 0 && model.quarticPinning[k] === 0))
    .map((g) => g.map((k) => model.sites[k]));
}

/** Connected groups of sites (through springs) with no bath on any of them: their energy is never exchanged. */
export function bathlessComponents(model: NetworkModel): string[][] {
  checkNetworkModel(model, "bathlessComponents");
  const bath = new Uint8Array(model.sites.length);
  for (const b of model.baths) bath[b.site] = 1;
  return springComponents(model)
    .filter((g) => g.every((k) => bath[k] === 0))
    .map((g) => g.map((k) => model.sites[k]));
}

export interface DecoupledMode {
  /** Displacement pattern over the sites (largest component 1). */
  shape: Float64Array;
  /** Angular frequency of the undamped mode. */
  frequency: number;
  /** Readable form, e.g. "q[3] - q[4]". */
  description: string;
  /** Modes with the same `eigenspace` share their frequency (a degenerate set; any combination is a mode too). */
  eigenspace: number;
}

/** A set of decoupled modes of one frequency: an orthonormal basis (mass-weighted) on the unreached sites it touches. */
interface DecoupledSpace {
  lambda: number;
  /** Global site indices the basis is written on. */
  sites: Int32Array;
  /** sites.length x k, orthonormal columns. */
  basis: Float64Array;
  k: number;
}

/** The mass-weighted stiffness W = M^-1/2 V M^-1/2 in adjacency form (harmonic part only). */
export interface SparseStiffness {
  n: number;
  diag: Float64Array;
  start: Int32Array;
  neighbour: Int32Array;
  weight: Float64Array;
  /** Max row sum of |W|: bounds its largest eigenvalue. */
  norm: number;
  sqrtMass: Float64Array;
}

function sparseStiffness(model: NetworkModel): SparseStiffness {
  const n = model.sites.length;
  const sqrtMass = model.mass.map(Math.sqrt);
  const diag = new Float64Array(n);
  const degree = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) diag[i] = model.pinning[i];
  for (const s of model.springs) {
    diag[s.i] += s.stiffness;
    diag[s.j] += s.stiffness;
    degree[s.i + 1]++;
    degree[s.j + 1]++;
  }
  for (let i = 0; i < n; i++) degree[i + 1] += degree[i];
  const start = degree.slice();
  const fill = degree.slice(0, n);
  const neighbour = new Int32Array(2 * model.springs.length);
  const weight = new Float64Array(2 * model.springs.length);
  for (const s of model.springs) {
    const w = -s.stiffness / (sqrtMass[s.i] * sqrtMass[s.j]);
    neighbour[fill[s.i]] = s.j;
    weight[fill[s.i]++] = w;
    neighbour[fill[s.j]] = s.i;
    weight[fill[s.j]++] = w;
  }
  let norm = 0;
  for (let i = 0; i < n; i++) {
    diag[i] /= model.mass[i];
    let row = Math.abs(diag[i]);
    for (let e = start[i]; e < start[i + 1]; e++) row += Math.abs(weight[e]);
    norm = Math.max(norm, row);
  }
  return { n, diag, start, neighbour, weight, norm, sqrtMass };
}

/**
 * Sites proven to be in the Krylov space of the bath sites by zero forcing (1 = in K). Exact: it uses only which
 * entries of W are nonzero.
 */
export function forcedSites(model: NetworkModel): Uint8Array {
  checkNetworkModel(model, "forcedSites");
  const w = sparseStiffness(model);
  return zeroForcing(
    w,
    model.baths.map((b) => b.site),
  );
}

function zeroForcing(w: SparseStiffness, bathSites: number[]): Uint8Array {
  const { n, start, neighbour } = w;
  const known = new Uint8Array(n);
  const unknownCount = new Int32Array(n);
  for (let i = 0; i < n; i++) unknownCount[i] = start[i + 1] - start[i];
  const queue: number[] = [];
  const markKnown = (j: number) => {
    known[j] = 1;
    for (let e = start[j]; e < start[j + 1]; e++) {
      const t = neighbour[e];
      if (--unknownCount[t] === 1 && known[t]) queue.push(t);
    }
    if (unknownCount[j] === 1) queue.push(j);
  };
  for (const h of bathSites) if (!known[h]) markKnown(h);
  while (queue.length > 0) {
    const s = queue.pop()!;
    if (unknownCount[s] !== 1) continue;
    for (let e = start[s]; e < start[s + 1]; e++) {
      const t = neighbour[e];
      if (!known[t]) {
        markKnown(t);
        break;
      }
    }
  }
  return known;
}

/** Relative tolerances: eigenvalues closer than CLUSTER * ||W|| form one eigenspace; a mode is decoupled when its
 * coupling to the reached sites, |W_SU v|, is below COUPLING * ||W||. */
const CLUSTER = 1e-9;
const COUPLING = 1e-8;

/**
 * Most sites the dense part of the Lemma 1 check handles (the sites the zero-forcing sweep leaves): its
 * eigen-decomposition takes O(u^3) operations and about 32 u^2 bytes (0.8 GB and minutes at 5000).
 */
export const DIAGNOSIS_MAX_UNREACHED = 5000;

/** Sites the dense part handles in well under a second: callers run it before their size limits. */
export const CHEAP_UNREACHED = 400;

/**
 * Sites that zero forcing from the bath sites leaves unreached: 0 proves that no normal mode vanishes on every bath
 * site, whatever the stiffnesses, pinnings and masses (strong structural controllability: N. Monshizadeh, S. Zhang,
 * M. K. Camlibel, IEEE Trans. Autom. Control 59, 2562 (2014)).
 */
export function zeroForcingDeficit(model: NetworkModel, w: SparseStiffness = sparseStiffness(model)): number {
  const known = zeroForcing(
    w,
    model.baths.map((b) => b.site),
  );
  let u = 0;
  for (const k of known) if (!k) u++;
  return u;
}

function tooManyUnreached(model: NetworkModel, u: number): ModelError {
  return new ModelError(
    `cannot check that every normal mode meets a bath: ${u} sites are beyond the exact linear-time test, and the dense check takes at most ${DIAGNOSIS_MAX_UNREACHED} (O(n^3) operations, 32 n^2 bytes)`,
    model.source,
  );
}

function decoupledSpaces(model: NetworkModel, w: SparseStiffness): DecoupledSpace[] {
  const n = w.n;
  const known = zeroForcing(
    w,
    model.baths.map((b) => b.site),
  );
  let unreached = 0;
  for (const k of known) if (!k) unreached++;
  if (unreached > DIAGNOSIS_MAX_UNREACHED) throw tooManyUnreached(model, unreached);
  // Connected parts of the unreached sites: W_UU is block diagonal over them, so each part is diagonalised alone.
  // A decoupled mode may combine eigenvectors of several parts with one eigenvalue whose couplings to the reached
  // sites cancel (Figure 1 of Eckmann and Zabey: q3 - q4), so eigenspaces are formed across parts.
  const parts: { sites: number[]; values: Float64Array; vectors: Float64Array }[] = [];
  const local = new Int32Array(n).fill(-1);
  const seen = new Uint8Array(n);
  for (let root = 0; root < n; root++) {
    if (known[root] || seen[root]) continue;
    const part: number[] = [root];
    seen[root] = 1;
    for (let q = 0; q < part.length; q++) {
      const i = part[q];
      for (let e = w.start[i]; e < w.start[i + 1]; e++) {
        const t = w.neighbour[e];
        if (!known[t] && !seen[t]) {
          seen[t] = 1;
          part.push(t);
        }
      }
    }
    part.sort((a, b) => a - b);
    const c = part.length;
    part.forEach((i, k) => (local[i] = k));
    const Wc = matrix(c, c);
    for (let k = 0; k < c; k++) {
      const i = part[k];
      Wc.data[k * c + k] = w.diag[i];
      for (let e = w.start[i]; e < w.start[i + 1]; e++) {
        const t = w.neighbour[e];
        if (!known[t]) Wc.data[k * c + local[t]] = w.weight[e];
      }
    }
    const { values, vectors } = symmetricEigen(Wc);
    parts.push({ sites: part, values, vectors: vectors.data });
  }
  const pairs: { lambda: number; part: number; col: number }[] = [];
  parts.forEach((p, k) => p.values.forEach((lambda, col) => pairs.push({ lambda, part: k, col })));
  pairs.sort((a, b) => a.lambda - b.lambda);

  const spaces: DecoupledSpace[] = [];
  let s0 = 0;
  while (s0 < pairs.length) {
    let s1 = s0 + 1;
    while (s1 < pairs.length && pairs[s1].lambda - pairs[s1 - 1].lambda <= CLUSTER * w.norm) s1++;
    const cluster = pairs.slice(s0, s1);
    const d = cluster.length;
    // The sites of the parts involved, and the cluster's vectors on them (rows = sites, columns = vectors).
    const involved = [...new Set(cluster.map((e) => e.part))].sort((a, b) => a - b);
    const sites: number[] = [];
    const offset = new Map<number, number>();
    for (const k of involved) {
      offset.set(k, sites.length);
      sites.push(...parts[k].sites);
    }
    const c = sites.length;
    const Q = new Float64Array(c * d);
    cluster.forEach((e, a) => {
      const p = parts[e.part],
        cp = p.sites.length,
        o = offset.get(e.part)!;
      for (let r = 0; r < cp; r++) Q[(o + r) * d + a] = p.vectors[r * cp + e.col];
    });
    // B = W_SU Q: the couplings of each combination to the reached sites; its null space is decoupled.
    const rowOf = new Map<number, number>();
    const Brows: Float64Array[] = [];
    sites.forEach((i, r) => {
      for (let e = w.start[i]; e < w.start[i + 1]; e++) {
        const t = w.neighbour[e];
        if (!known[t]) continue;
        let row = rowOf.get(t);
        if (row === undefined) {
          rowOf.set(t, (row = Brows.length));
          Brows.push(new Float64Array(d));
        }
        const target = Brows[row];
        for (let a = 0; a < d; a++) target[a] += w.weight[e] * Q[r * d + a];
      }
    });
    const G = matrix(d, d);
    for (const row of Brows)
      for (let a = 0; a < d; a++) for (let b = 0; b <= a; b++) G.data[a * d + b] += row[a] * row[b];
    for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) G.data[b * d + a] = G.data[a * d + b];
    const g = symmetricEigen(G);
    const keep: number[] = [];
    for (let k = 0; k < d; k++) if (g.values[k] <= (COUPLING * w.norm) ** 2) keep.push(k);
    if (keep.length > 0) {
      const k = keep.length;
      const basis = new Float64Array(c * k);
      for (let r = 0; r < c; r++)
        for (let col = 0; col < k; col++) {
          let s = 0;
          for (let a = 0; a < d; a++) s += Q[r * d + a] * g.vectors.data[a * d + keep[col]];
          basis[r * k + col] = s;
        }
      let lambda = 0;
      for (const e of cluster) lambda += e.lambda / d;
      spaces.push({ lambda, sites: Int32Array.from(sites), basis, k });
    }
    s0 = s1;
  }
  return spaces;
}

/**
 * Readable modes of a decoupled space: the basis in reduced row-echelon form (each mode is 1 on a site where the
 * others vanish, e.g. q[3] - q[4] and q[3] - q[5] for three equal leaves), as physical displacements
 * (largest component 1).
 */
function readableModes(
  model: NetworkModel,
  w: SparseStiffness,
  space: DecoupledSpace,
  eigenspace: number,
): DecoupledMode[] {
  const { k, sites } = space;
  const c = sites.length;
  // Rows = modes, columns = sites (physical displacements q = M^-1/2 y).
  const R = new Float64Array(k * c);
  for (let col = 0; col < c; col++)
    for (let r = 0; r < k; r++) R[r * c + col] = space.basis[col * k + r] / w.sqrtMass[sites[col]];
  let row = 0;
  for (let col = 0; col < c && row < k; col++) {
    let piv = row;
    for (let r = row + 1; r < k; r++) if (Math.abs(R[r * c + col]) > Math.abs(R[piv * c + col])) piv = r;
    if (Math.abs(R[piv * c + col]) < 1e-8) continue;
    if (piv !== row) for (let j = 0; j < c; j++) [R[row * c + j], R[piv * c + j]] = [R[piv * c + j], R[row * c + j]];
    const p = R[row * c + col];
    for (let j = 0; j < c; j++) R[row * c + j] /= p;
    for (let r = 0; r < k; r++) {
      if (r === row) continue;
      const f = R[r * c + col];
      if (f !== 0) for (let j = 0; j < c; j++) R[r * c + j] -= f * R[row * c + j];
    }
    row++;
  }
  const out: DecoupledMode[] = [];
  for (let r = 0; r < k; r++) {
    const shape = new Float64Array(model.sites.length);
    // Largest component 1 in magnitude, the first nonzero one (in site order) positive.
    let big = 0,
      first = 0;
    for (let col = 0; col < c; col++) if (Math.abs(R[r * c + col]) > Math.abs(big)) big = Math.abs(R[r * c + col]);
    if (big === 0) continue;
    for (let col = 0, best = Infinity; col < c; col++) {
      if (Math.abs(R[r * c + col]) > 1e-9 * big && sites[col] < best) {
        best = sites[col];
        first = R[r * c + col];
      }
    }
    if (first < 0) big = -big;
    for (let col = 0; col < c; col++) {
      const v = R[r * c + col] / big;
      shape[sites[col]] = Math.abs(v) < 1e-9 ? 0 : v;
    }
    out.push({
      shape,
      frequency: Math.sqrt(Math.max(space.lambda, 0)),
      description: describeShape(model.sites, shape),
      eigenspace,
    });
  }
  return out;
}

/**
 * Normal modes of the undamped harmonic part (V u = omega^2 M u) that vanish on every bath site (Lemma 1), in
 * readable form. Quartic terms are ignored here (see diagnoseNetwork). Overdamped networks have a bath on every site
 * and so none.
 */
export function decoupledModes(model: NetworkModel): DecoupledMode[] {
  checkNetworkModel(model, "decoupledModes");
  const w = sparseStiffness(model);
  return decoupledSpaces(model, w).flatMap((space, k) => readableModes(model, w, space, k));
}

export interface NetworkDiagnosis {
  /** Why there is no (unique) steady state, or undefined. */
  problem?: string;
  /** With `maxUnreached`: the dense part of the Lemma 1 check needed more sites than that, and was not run. */
  undecided?: boolean;
  /** Doubts that do not forbid a steady state (quartic terms alone coupling a mode to the baths). */
  warnings: string[];
}

const fmt = (x: number) => String(Number(x.toPrecision(4)));

function modeText(m: DecoupledMode, harmonicPart: boolean): string {
  return `the normal mode ${m.description} (frequency ${fmt(m.frequency)})${harmonicPart ? " of the harmonic part" : ""}`;
}

function moreModes(count: number): string {
  return count > 1 ? ` (and ${count - 1} more such mode${count > 2 ? "s" : ""})` : "";
}

const LEMMA1 = "Lemma 1 of Eckmann and Zabey, J. Stat. Phys., doi:10.1023/B:JOSS.0000003119.91989.48";

/**
 * Whether the network can have a steady state, and why not, in the order of the checks (all before any Lyapunov
 * solve or simulation): unconfined parts, parts without a bath, then (underdamped) normal modes that never meet a
 * bath. Linear and quartic networks alike; for quartic ones see the file header. With `maxUnreached`, the dense part
 * of the Lemma 1 check runs only on at most that many sites (callers pass a cheap bound, check their own size limit,
 * then call again without it); more than DIAGNOSIS_MAX_UNREACHED sites for the dense part is a ModelError.
 *
 * @example
 * ```ts
 * import { diagnoseNetwork, validateNetwork } from "ness";
 *
 * // Nothing pins the pair: the free centre-of-mass motion has no steady state.
 * const free = validateNetwork({
 *   kind: "network", sites: 2, springs: [{ between: [1, 2], stiffness: 1 }],
 *   baths: [{ site: 1, friction: 1, temperature: 1 }],
 * });
 * console.log(diagnoseNetwork(free).problem !== undefined); // => true
 * ```
 */
export function diagnoseNetwork(model: NetworkModel, options: { maxUnreached?: number } = {}): NetworkDiagnosis {
  checkNetworkModel(model, "diagnoseNetwork");
  const linear = isLinearNetwork(model);
  const free = unpinnedComponents(model);
  if (free.length > 0) {
    const g = free[0];
    const who = g.length === 1 ? `site ${g[0]} is` : `sites ${listNames(g)} are`;
    const what = linear
      ? "not pinned"
      : "not pinned (neither pinning nor quarticPinning; quartic springs act on differences only)";
    return {
      problem: `the network is not confined: ${who} ${what}, so ${g.length === 1 ? "it" : "they"} can translate freely and no steady state exists; add pinning to at least one of them${moreParts(free)}`,
      warnings: [],
    };
  }
  const cold = bathlessComponents(model);
  if (cold.length > 0) {
    const g = cold[0];
    const who = g.length === 1 ? `site ${g[0]} has` : `sites ${listNames(g)} have`;
    return {
      problem: `no steady state: ${who} no bath and no spring to a site with one, so nothing thermalises ${g.length === 1 ? "it" : "them"} (${g.length === 1 ? "its" : "their"} energy stays what it was at the start); attach a bath, or a spring to a site with a bath${moreParts(cold)}`,
      warnings: [],
    };
  }
  if (model.dynamics !== "underdamped") return { warnings: [] };
  const w = sparseStiffness(model);
  if (options.maxUnreached !== undefined && zeroForcingDeficit(model, w) > options.maxUnreached)
    return { warnings: [], undecided: true };
  const spaces = decoupledSpaces(model, w);
  if (spaces.length === 0) return { warnings: [] };
  const count = spaces.reduce((a, s) => a + s.k, 0);
  if (linear) {
    const m = readableModes(model, w, spaces[0], 0)[0];
    return {
      problem: `no unique steady state (${LEMMA1}): ${modeText(m, false)} vanishes on every bath site, so it never exchanges energy with a bath${moreModes(count)}`,
      warnings: [],
    };
  }
  const isolated = isolatedSpaces(model, w, spaces);
  if (isolated.length > 0) {
    const m = readableModes(model, w, isolated[0], 0)[0];
    const left = isolated.reduce((a, s) => a + s.k, 0);
    return {
      problem: `no steady state: ${modeText(m, true)} vanishes on every bath site and no quartic term couples it to the rest of the network, so it keeps the energy it starts with${moreModes(left)}`,
      warnings: [],
    };
  }
  const m = readableModes(model, w, spaces[0], 0)[0];
  return {
    warnings: [
      `${modeText(m, true)} vanishes on every bath site${moreModes(count)}: only the quartic terms couple it to the baths, so it may thermalise slowly; check that the estimates do not change with a longer burn-in`,
    ],
  };
}

/**
 * The largest set of decoupled modes that the quartic terms leave isolated: a subspace E of the decoupled spaces
 * such that every quartic direction (e_i / sqrt(m_i) for quartic pinning, e_i / sqrt(m_i) - e_j / sqrt(m_j) for a
 * quartic spring, mass-weighted) lies either inside E or orthogonal to it. Then the coordinates along E obey a closed
 * Hamiltonian system with no friction and no noise, and keep their energy. Found by shrinking each eigenspace to the
 * part orthogonal to every direction that touches it without lying in E, until nothing changes.
 */
function isolatedSpaces(model: NetworkModel, w: SparseStiffness, spaces: DecoupledSpace[]): DecoupledSpace[] {
  const directions: [number, number][][] = [];
  model.quarticPinning.forEach((c, i) => {
    if (c > 0) directions.push([[i, 1 / w.sqrtMass[i]]]);
  });
  for (const s of model.springs)
    if (s.quartic > 0)
      directions.push([
        [s.i, 1 / w.sqrtMass[s.i]],
        [s.j, -1 / w.sqrtMass[s.j]],
      ]);
  let live = spaces.map((sp) => ({
    ...sp,
    rows: new Map(Array.from(sp.sites, (site, r) => [site, r] as [number, number])),
  }));
  const tol = 1e-8;
  for (let changed = true; changed;) {
    changed = false;
    for (const dir of directions) {
      let norm2 = 0;
      for (const [, c] of dir) norm2 += c * c;
      const proj = live.map((sp) => {
        const p = new Float64Array(sp.k);
        for (const [site, c] of dir) {
          const r = sp.rows.get(site);
          if (r !== undefined) for (let a = 0; a < sp.k; a++) p[a] += c * sp.basis[r * sp.k + a];
        }
        return p;
      });
      let inside = 0;
      for (const p of proj) for (const x of p) inside += x * x;
      if (inside <= tol * tol * norm2 || inside >= (1 - tol) * norm2) continue;
      // This term mixes E with the other coordinates: E must be orthogonal to it.
      live = live
        .map((sp, idx) => {
          let pn = 0;
          for (const x of proj[idx]) pn += x * x;
          if (pn <= tol * tol * norm2) return sp;
          changed = true;
          return { ...sp, ...shrink(sp.basis, sp.sites.length, sp.k, proj[idx]) };
        })
        .filter((sp) => sp.k > 0);
    }
  }
  return live;
}

/** The columns of `basis` (c x k, orthonormal) spanning the part orthogonal to the combination p (length k). */
function shrink(basis: Float64Array, c: number, k: number, p: Float64Array): { basis: Float64Array; k: number } {
  // Householder reflection H with H p = |p| e_0: columns 1..k-1 of H span p's orthogonal complement in R^k.
  let pn = 0;
  for (const x of p) pn += x * x;
  pn = Math.sqrt(pn);
  const v = Float64Array.from(p);
  v[0] += p[0] >= 0 ? pn : -pn;
  let vn = 0;
  for (const x of v) vn += x * x;
  const out = new Float64Array(c * (k - 1));
  for (let col = 1; col < k; col++) {
    // Column col of H = e_col - 2 v v_col / |v|^2.
    for (let row = 0; row < c; row++) {
      let s = basis[row * k + col];
      let dot = 0;
      for (let a = 0; a < k; a++) dot += basis[row * k + a] * v[a];
      s -= (2 * v[col] * dot) / vn;
      out[row * (k - 1) + col - 1] = s;
    }
  }
  return { basis: out, k: k - 1 };
}

/** The parts after the first one a check found (the message names the first one in full), or "". */
function moreParts(parts: string[][]): string {
  if (parts.length < 2) return "";
  const rest = parts.slice(1).flat();
  return ` (the same holds for ${parts.length - 1} more part${parts.length > 2 ? "s" : ""}: site${rest.length > 1 ? "s" : ""} ${listNames(rest)})`;
}

function listNames(names: string[]): string {
  return names.length <= 8 ? names.join(", ") : `${names.slice(0, 8).join(", ")} and ${names.length - 8} more`;
}

function describeShape(sites: string[], shape: Float64Array): string {
  const terms: string[] = [];
  let shown = 0;
  let hidden = 0;
  shape.forEach((c, i) => {
    if (c === 0) return;
    if (shown >= 8) {
      hidden++;
      return;
    }
    const mag = Math.abs(c);
    const coef = Math.abs(mag - 1) < 1e-6 ? "" : `${Number(mag.toPrecision(3))} `;
    const sign = c < 0 ? "-" : "+";
    terms.push(`${terms.length === 0 ? (sign === "-" ? "-" : "") : ` ${sign} `}${coef}q[${sites[i]}]`);
    shown++;
  });
  return terms.join("") + (hidden > 0 ? ` + ... (${hidden} more sites)` : "");
}

/**
 * The staged diagnosis both engines run before their work: the cheap checks first (linear time, and a dense Lemma 1
 * part of at most CHEAP_UNREACHED sites), then `sizeCheck` (the caller's own size limit, so that an oversized
 * network with no steady state is refused for the physical reason, and one too large for the caller is refused
 * before an expensive diagnosis), then the rest of the Lemma 1 check. Throws SteadyStateError (naming the model's
 * file) when there is no unique steady state; returns the warnings that do not forbid one.
 */
export function requireNetworkSteadyState(model: NetworkModel, sizeCheck?: () => void): string[] {
  checkNetworkModel(model, "requireNetworkSteadyState");
  const cheap = diagnoseNetwork(model, { maxUnreached: CHEAP_UNREACHED });
  if (cheap.problem) throw new SteadyStateError(cheap.problem, model.source);
  sizeCheck?.();
  const diagnosis = cheap.undecided ? diagnoseNetwork(model) : cheap;
  if (diagnosis.problem) throw new SteadyStateError(diagnosis.problem, model.source);
  return diagnosis.warnings;
}

/**
 * Refuses models without a unique Gaussian steady state, with the physical reason: quartic terms (the exact engine
 * is for linear networks), an unconfined part, a part without a bath, a normal mode that never meets a bath. Cheap: no
 * dense matrix is built unless part of the network escapes the exact zero-forcing test.
 */
export function checkNetworkSolvable(model: NetworkModel): void {
  checkNetworkModel(model, "checkNetworkSolvable");
  checkLinear(model);
  const { problem } = diagnoseNetwork(model);
  if (problem) throw new SteadyStateError(problem, model.source);
}
