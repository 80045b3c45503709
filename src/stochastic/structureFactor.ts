/**
 * Structure factors of point configurations in a periodic 2D box: pure functions of positions and weights (no
 * simulation state), for the analysis of particle runs (the demixing study's S_cc(q), src/studies/two-temperature).
 *
 * For weights w_j of the N points, the weighted density mode at a wavevector q is rho_w(q) = sum_j w_j exp(-i q.r_j)
 * and the structure factor S_w(q) = |rho_w(q)|^2 / N. Weights 1 give the number structure factor S_NN(q); the
 * weights c_j - x (c_j = 1 for a point of one species, 0 otherwise, x the fraction of that species) give the
 * Bhatia-Thornton concentration-concentration structure factor S_cc(q), whose value for labels independent of the
 * positions (an ideal mixture) is x(1 - x) (1 + (1 - S_NN(q))/(N - 1)) at every q != 0, x(1 - x) up to O(1/N).
 *
 * Only the box's allowed wavevectors are used: q = 2 pi (n_x / L_x, n_y / L_y), integers n, 0 < |q| <= qMax; S(-q) =
 * S(q) for real weights, so one half plane is summed (n_y > 0, or n_y = 0 and n_x > 0). Shell averages group them by
 * |q| into shells of width dq (default 2 pi / min(L_x, L_y)): shell s holds (s - 1/2) dq <= |q| < (s + 1/2) dq and
 * reports the mean |q| and the mean S of its wavevectors.
 *
 * The modes are computed without trigonometric calls in the loop: per point, exp(-i 2 pi n_x x / L_x) for
 * n_x = 0..n_max by repeated complex multiplication (its rounding error grows like n eps), the same along y, and every
 * mode is one complex product of the two; the cost is O(N M) for M wavevectors (M ~ pi qMax^2 L_x L_y / (8 pi^2)),
 * against O(N^2 M) for the direct double sum of structureFactorDirect, which serves as the independent check.
 * Browser-safe.
 */
import { ModelError } from "../errors.js";

/** The allowed wavevectors of a periodic 2D box up to qMax (one half plane), and their shells. */
export interface Wavevectors {
  box: [number, number];
  qMax: number;
  shellWidth: number;
  /** Integer components of each wavevector. */
  nx: Int32Array;
  ny: Int32Array;
  /** |q| of each wavevector. */
  q: Float64Array;
  /** Shell index (0-based, in order of |q|) of each wavevector. */
  shell: Int32Array;
  /** Per shell: the mean |q| and the number of wavevectors. */
  shellQ: Float64Array;
  shellCount: Int32Array;
}

function checkBox(box: ArrayLike<number>): [number, number] {
  if (box === null || typeof box !== "object" || box.length !== 2 || !(box[0] > 0) || !(box[1] > 0))
    throw new ModelError("structure factor: the box must be two side lengths > 0");
  if (!Number.isFinite(box[0]) || !Number.isFinite(box[1]))
    throw new ModelError("structure factor: the box sides must be finite");
  return [box[0], box[1]];
}

/** At most this many wavevectors (the modes' memory and time grow with it). */
export const MAX_WAVEVECTORS = 2_000_000;

/**
 * The allowed wavevectors 0 < |q| <= qMax of a periodic box [L_x, L_y] (one half plane), sorted by |q|, grouped in
 * shells of width `shellWidth` (default 2 pi / min(L_x, L_y)); empty shells are dropped. Throws ModelError for a
 * bad box, a qMax below the smallest allowed |q| or too many wavevectors.
 */
export function wavevectors(box: ArrayLike<number>, qMax: number, shellWidth?: number): Wavevectors {
  const [Lx, Ly] = checkBox(box);
  const gx = (2 * Math.PI) / Lx,
    gy = (2 * Math.PI) / Ly;
  if (!(Number.isFinite(qMax) && qMax >= Math.min(gx, gy) * (1 - 1e-12)))
    throw new ModelError(
      `structure factor: qMax must be at least the smallest wavevector 2 pi / L = ${Number(Math.min(gx, gy).toPrecision(4))} of the box, got ${qMax}`,
    );
  const dq = shellWidth ?? Math.min(gx, gy);
  if (!(Number.isFinite(dq) && dq > 0))
    throw new ModelError(`structure factor: the shell width must be > 0, got ${shellWidth}`);
  const mx = Math.floor((qMax * (1 + 1e-12)) / gx),
    my = Math.floor((qMax * (1 + 1e-12)) / gy);
  const estimate = ((2 * mx + 1) * (my + 1)) / 2;
  if (estimate > 2 * MAX_WAVEVECTORS)
    throw new ModelError(
      `structure factor: about ${Math.round(estimate)} wavevectors up to qMax = ${qMax}, more than ${MAX_WAVEVECTORS}: use a smaller qMax`,
    );
  const list: { nx: number; ny: number; q: number }[] = [];
  const q2max = qMax * qMax * (1 + 1e-12);
  for (let b = 0; b <= my; b++)
    for (let a = -mx; a <= mx; a++) {
      if (b === 0 && a <= 0) continue;
      const q2 = (a * gx) ** 2 + (b * gy) ** 2;
      if (q2 <= q2max) list.push({ nx: a, ny: b, q: Math.sqrt(q2) });
    }
  if (list.length > MAX_WAVEVECTORS)
    throw new ModelError(
      `structure factor: ${list.length} wavevectors up to qMax = ${qMax}, more than ${MAX_WAVEVECTORS}: use a smaller qMax`,
    );
  list.sort((u, v) => u.q - v.q || u.ny - v.ny || u.nx - v.nx);
  const M = list.length;
  const nx = new Int32Array(M),
    ny = new Int32Array(M),
    q = new Float64Array(M),
    shell = new Int32Array(M);
  const raw = new Int32Array(M);
  for (let k = 0; k < M; k++) {
    nx[k] = list[k].nx;
    ny[k] = list[k].ny;
    q[k] = list[k].q;
    raw[k] = Math.round(q[k] / dq);
  }
  // Renumber the non-empty shells 0, 1, 2, ... in order of |q|.
  const shellQ: number[] = [],
    shellCount: number[] = [];
  let s = -1,
    last = -1;
  for (let k = 0; k < M; k++) {
    if (raw[k] !== last) {
      s++;
      last = raw[k];
      shellQ.push(0);
      shellCount.push(0);
    }
    shell[k] = s;
    shellQ[s] += q[k];
    shellCount[s]++;
  }
  for (let t = 0; t < shellQ.length; t++) shellQ[t] /= shellCount[t];
  return {
    box: [Lx, Ly],
    qMax,
    shellWidth: dq,
    nx,
    ny,
    q,
    shell,
    shellQ: Float64Array.from(shellQ),
    shellCount: Int32Array.from(shellCount),
  };
}

function checkPoints(x: Float64Array, weights: readonly ArrayLike<number>[]): number {
  if (!(x instanceof Float64Array) || x.length % 2 !== 0)
    throw new ModelError("structure factor: positions must be a Float64Array of N x 2 coordinates (row-major)");
  const N = x.length / 2;
  if (N < 1) throw new ModelError("structure factor: need at least one point");
  for (let i = 0; i < x.length; i++)
    if (!Number.isFinite(x[i])) throw new ModelError(`structure factor: position ${i} is not a finite number`);
  if (weights.length < 1) throw new ModelError("structure factor: need at least one set of weights");
  for (const w of weights) {
    if (w.length !== N)
      throw new ModelError(`structure factor: ${w.length} weights for ${N} points (one weight per point)`);
    for (let j = 0; j < N; j++)
      if (!Number.isFinite(w[j])) throw new ModelError(`structure factor: weight ${j} is not a finite number`);
  }
  return N;
}

/**
 * The structure factors S_w(q) = |sum_j w_j exp(-i q.r_j)|^2 / N of each set of weights at every wavevector of `wv`,
 * in O(N M): out[w * M + k] for weight set w and wavevector k (written into `out` when given; length W M).
 * Positions are row-major N x 2 and may lie outside the box (the phases are periodic).
 */
export function structureFactorModes(
  x: Float64Array,
  weights: readonly ArrayLike<number>[],
  wv: Wavevectors,
  out?: Float64Array,
): Float64Array {
  const N = checkPoints(x, weights);
  const W = weights.length,
    M = wv.nx.length;
  const res = out ?? new Float64Array(W * M);
  if (res.length !== W * M) throw new ModelError(`structure factor: out must have length ${W * M}`);
  let mx = 0,
    my = 0;
  for (let k = 0; k < M; k++) {
    mx = Math.max(mx, Math.abs(wv.nx[k]));
    my = Math.max(my, wv.ny[k]);
  }
  const [Lx, Ly] = wv.box;
  // Per point: exp(-i 2 pi n x / L) for n = 0..max by recurrence; negative n_x by conjugation.
  const exr = new Float64Array(mx + 1),
    exi = new Float64Array(mx + 1),
    eyr = new Float64Array(my + 1),
    eyi = new Float64Array(my + 1);
  const re = new Float64Array(W * M),
    im = new Float64Array(W * M);
  const nx = wv.nx,
    ny = wv.ny;
  const w0 = new Float64Array(W);
  for (let j = 0; j < N; j++) {
    const ax = (-2 * Math.PI * x[2 * j]) / Lx,
      ay = (-2 * Math.PI * x[2 * j + 1]) / Ly;
    const cx = Math.cos(ax),
      sx = Math.sin(ax),
      cy = Math.cos(ay),
      sy = Math.sin(ay);
    exr[0] = 1;
    exi[0] = 0;
    for (let n = 1; n <= mx; n++) {
      exr[n] = exr[n - 1] * cx - exi[n - 1] * sx;
      exi[n] = exr[n - 1] * sx + exi[n - 1] * cx;
    }
    eyr[0] = 1;
    eyi[0] = 0;
    for (let n = 1; n <= my; n++) {
      eyr[n] = eyr[n - 1] * cy - eyi[n - 1] * sy;
      eyi[n] = eyr[n - 1] * sy + eyi[n - 1] * cy;
    }
    let any = false;
    for (let w = 0; w < W; w++) {
      w0[w] = weights[w][j];
      if (w0[w] !== 0) any = true;
    }
    if (!any) continue;
    for (let k = 0; k < M; k++) {
      const a = nx[k];
      const xr = a >= 0 ? exr[a] : exr[-a],
        xi = a >= 0 ? exi[a] : -exi[-a];
      const b = ny[k];
      const pr = xr * eyr[b] - xi * eyi[b],
        pi = xr * eyi[b] + xi * eyr[b];
      for (let w = 0, o = k; w < W; w++, o += M) {
        re[o] += w0[w] * pr;
        im[o] += w0[w] * pi;
      }
    }
  }
  for (let o = 0; o < W * M; o++) res[o] = (re[o] * re[o] + im[o] * im[o]) / N;
  return res;
}

/**
 * The same structure factors by the direct double sum S_w(q) = (1/N) sum_{j,l} w_j w_l cos(q.(r_j - r_l)), in
 * O(N^2 M): the independent check of structureFactorModes (small N only).
 */
export function structureFactorDirect(
  x: Float64Array,
  weights: readonly ArrayLike<number>[],
  wv: Wavevectors,
): Float64Array {
  const N = checkPoints(x, weights);
  const W = weights.length,
    M = wv.nx.length;
  const res = new Float64Array(W * M);
  const gx = (2 * Math.PI) / wv.box[0],
    gy = (2 * Math.PI) / wv.box[1];
  for (let k = 0; k < M; k++) {
    const qx = wv.nx[k] * gx,
      qy = wv.ny[k] * gy;
    for (let w = 0; w < W; w++) {
      const ww = weights[w];
      let s = 0;
      for (let j = 0; j < N; j++)
        for (let l = 0; l < N; l++)
          s += ww[j] * ww[l] * Math.cos(qx * (x[2 * j] - x[2 * l]) + qy * (x[2 * j + 1] - x[2 * l + 1]));
      res[w * M + k] = s / N;
    }
  }
  return res;
}

/** Shell averages of per-wavevector values (`modes`, length W M): out[w * shells + s]. */
export function shellAverages(modes: ArrayLike<number>, wv: Wavevectors, out?: Float64Array): Float64Array {
  const M = wv.nx.length,
    S = wv.shellQ.length;
  const W = Math.round(modes.length / M);
  if (W * M !== modes.length || W < 1)
    throw new ModelError(`structure factor: ${modes.length} values are not a whole number of ${M} wavevectors`);
  const res = out ?? new Float64Array(W * S);
  res.fill(0);
  for (let w = 0; w < W; w++) {
    for (let k = 0; k < M; k++) res[w * S + wv.shell[k]] += modes[w * M + k];
    for (let s = 0; s < S; s++) res[w * S + s] /= wv.shellCount[s];
  }
  return res;
}

/** A shell-averaged structure factor. */
export interface ShellStructureFactor {
  /** Mean |q| of each shell. */
  q: Float64Array;
  /** Mean S of each shell, one array per set of weights. */
  S: Float64Array[];
  /** Wavevectors (one half plane) in each shell. */
  count: Int32Array;
}

/**
 * Shell-averaged structure factors S_w(|q|) of the points `x` (N x 2, row-major) in the periodic box, for each set of
 * weights, over the allowed wavevectors 0 < |q| <= qMax (see the header). Throws ModelError for bad arguments.
 */
export function structureFactor(
  x: Float64Array,
  box: ArrayLike<number>,
  weights: readonly ArrayLike<number>[],
  options: { qMax: number; shellWidth?: number },
): ShellStructureFactor {
  if (options === null || typeof options !== "object")
    throw new ModelError("structure factor: options must be an object {qMax, shellWidth?}");
  const wv = wavevectors(box, options.qMax, options.shellWidth);
  const avg = shellAverages(structureFactorModes(x, weights, wv), wv);
  const S = wv.shellQ.length;
  return {
    q: wv.shellQ.slice(),
    S: weights.map((_, w) => avg.slice(w * S, (w + 1) * S)),
    count: wv.shellCount.slice(),
  };
}

/** The concentration weights c_j - x of a labelling (nonzero = the species), x the species' fraction. */
export function concentrationWeights(labels: ArrayLike<number | boolean>): Float64Array {
  const N = labels.length;
  let n = 0;
  for (let j = 0; j < N; j++) if (labels[j]) n++;
  const x = N > 0 ? n / N : 0;
  const w = new Float64Array(N);
  for (let j = 0; j < N; j++) w[j] = (labels[j] ? 1 : 0) - x;
  return w;
}

/**
 * The first-moment length 2 pi sum_k D_k / sum_k |q_k| D_k over wavevectors (or shells weighted by their counts
 * `count`), D_k = max(S(q_k) - baseline, 0) (baseline 0 by default; the ideal-mixture value x(1 - x) for S_cc, so
 * that the uncorrelated part of S does not count): the domain size of a coarsening pattern. NaN when D vanishes
 * everywhere.
 */
export function firstMomentLength(
  q: ArrayLike<number>,
  S: ArrayLike<number>,
  count?: ArrayLike<number>,
  baseline = 0,
): number {
  let a = 0,
    b = 0;
  for (let k = 0; k < q.length; k++) {
    const n = count ? count[k] : 1;
    const d = Math.max(S[k] - baseline, 0);
    a += n * d;
    b += n * q[k] * d;
  }
  return b > 0 ? (2 * Math.PI * a) / b : NaN;
}
