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
 *
 * For many points (N = 10^5 and a box side of hundreds of ranges: M ~ 10^5 wavevectors) the modes come from a grid
 * instead (structureFactorModesFFT, the particle-mesh way of cosmology's power spectra): each weight is spread on a
 * periodic G_x x G_y grid of spacing h with the triangular-shaped-cloud (TSC) window, the grid is Fourier transformed
 * (radix-2 FFT, O(G^2 log G)) and each mode is divided by the window's transform W(q) = prod_a sinc^3(q_a h / 2).
 * What remains is aliasing: the grid mode at q also holds the modes at q + 2 pi m / h (m integer vectors), weighted
 * by W there. A second grid shifted by h/2 along both axes (interlacing; Hockney and Eastwood, "Computer Simulation
 * Using Particles", 1981; Sefusatti et al., MNRAS 460, 3624 (2016)) carries the images with m_x + m_y odd with the
 * opposite sign, and the mean of the two cancels them; both grids go through one complex FFT (one as the real part,
 * one as the imaginary part). By default the grid's Nyquist wavevector pi / h is at least twice qMax; the nearest
 * surviving images are then down by W(q - 2 pi m/h) / W(q) <= (1/7)^3 along an axis with |m| = 2 or (1/3)^6 for
 * m = (1, 1). Against the direct sum (random points, test/stochastic/structure-factor.test.ts) a mode's error is
 * below 2% of the mean S near qMax (1% typical worst), below 1e-3 of it for |q| <= qMax / 4, and a shell average's
 * below 2e-3; doubling the grid divides the error by about 8 (h^3). Memory: two grids of G_x G_y doubles (16 MB for
 * the 1024^2 grid of N = 10^5 disks at area fraction 0.4 and qMax = pi / range), independent of N.
 * Browser-safe.
 */
import { requireFinite, requireNumbers } from "../arguments.js";
import { ModelError } from "../errors.js";
import { fft } from "./autocorrelation.js";
import * as portable from "../special/elementary.js";

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
  if (W === 1) {
    oneWeightModes(x, weights[0], wv, mx, my, N, res);
    return res;
  }
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
    const cx = portable.cos(ax),
      sx = portable.sin(ax),
      cy = portable.cos(ay),
      sy = portable.sin(ay);
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
 * structureFactorModes for one set of weights, the same numbers to the bit: the same per-point recurrences and the
 * same products, each mode's sums taken over the points in the same order, but with the points' phase tables kept
 * (n x N, point index fastest) so that each mode is one pass over the points with its sums in registers. About 3x
 * faster than the point-by-point loop at N = 600 (the demixing study samples S_cc(q) every few hundred steps).
 */
function oneWeightModes(
  x: Float64Array,
  weight: ArrayLike<number>,
  wv: Wavevectors,
  mx: number,
  my: number,
  N: number,
  res: Float64Array,
): void {
  const [Lx, Ly] = wv.box;
  const M = wv.nx.length;
  // Points of weight 0 are skipped, as the general loop does; the others in order.
  const w = new Float64Array(N);
  let n = 0;
  const keep = new Int32Array(N);
  for (let j = 0; j < N; j++) {
    const v = weight[j];
    if (v !== 0) {
      w[n] = v;
      keep[n++] = j;
    }
  }
  const exr = new Float64Array((mx + 1) * n),
    exi = new Float64Array((mx + 1) * n),
    eyr = new Float64Array((my + 1) * n),
    eyi = new Float64Array((my + 1) * n);
  for (let i = 0; i < n; i++) {
    const j = keep[i];
    const ax = (-2 * Math.PI * x[2 * j]) / Lx,
      ay = (-2 * Math.PI * x[2 * j + 1]) / Ly;
    const cx = portable.cos(ax),
      sx = portable.sin(ax),
      cy = portable.cos(ay),
      sy = portable.sin(ay);
    exr[i] = 1;
    exi[i] = 0;
    for (let m = 1, o = n + i; m <= mx; m++, o += n) {
      exr[o] = exr[o - n] * cx - exi[o - n] * sx;
      exi[o] = exr[o - n] * sx + exi[o - n] * cx;
    }
    eyr[i] = 1;
    eyi[i] = 0;
    for (let m = 1, o = n + i; m <= my; m++, o += n) {
      eyr[o] = eyr[o - n] * cy - eyi[o - n] * sy;
      eyi[o] = eyr[o - n] * sy + eyi[o - n] * cy;
    }
  }
  const nx = wv.nx,
    ny = wv.ny;
  for (let k = 0; k < M; k++) {
    const a = nx[k];
    const ox = (a >= 0 ? a : -a) * n,
      oy = ny[k] * n;
    let re = 0,
      im = 0;
    if (a >= 0) {
      for (let i = 0; i < n; i++) {
        const xr = exr[ox + i],
          xi = exi[ox + i],
          yr = eyr[oy + i],
          yi = eyi[oy + i];
        re += w[i] * (xr * yr - xi * yi);
        im += w[i] * (xr * yi + xi * yr);
      }
    } else {
      // exp(-i q_x x) at negative n_x: the conjugate (-exi exactly, as the general loop takes it).
      for (let i = 0; i < n; i++) {
        const xr = exr[ox + i],
          xi = -exi[ox + i],
          yr = eyr[oy + i],
          yi = eyi[oy + i];
        re += w[i] * (xr * yr - xi * yi);
        im += w[i] * (xr * yi + xi * yr);
      }
    }
    res[k] = (re * re + im * im) / N;
  }
}

/** Grid of structureFactorModesFFT: points per axis (powers of two). */
export interface FftGridSize {
  gx: number;
  gy: number;
}

/** At most this many grid points (two Float64Arrays of this length: 64 MB). */
export const MAX_GRID_POINTS = 1 << 22;

/**
 * The default grid of structureFactorModesFFT for these wavevectors: per axis the smallest power of two G >= 8 with
 * G >= 2 oversampling n_max (n_max the largest integer component), so that the Nyquist wavevector pi G / L is at
 * least `oversampling` (default 2) times qMax along that axis.
 */
export function fftGridFor(wv: Wavevectors, oversampling = 2): FftGridSize {
  if (!(Number.isFinite(oversampling) && oversampling >= 1))
    throw new ModelError(`structure factor: the grid oversampling must be a number >= 1, got ${oversampling}`);
  let mx = 0,
    my = 0;
  for (let k = 0; k < wv.nx.length; k++) {
    mx = Math.max(mx, Math.abs(wv.nx[k]));
    my = Math.max(my, wv.ny[k]);
  }
  const pow2 = (n: number) => {
    let g = 8;
    while (g < 2 * oversampling * n) g *= 2;
    return g;
  };
  const g = { gx: pow2(mx), gy: pow2(my) };
  if (g.gx * g.gy > MAX_GRID_POINTS)
    throw new ModelError(
      `structure factor: a ${g.gx} x ${g.gy} grid is more than ${MAX_GRID_POINTS} points: use a smaller qMax or oversampling`,
    );
  return g;
}

/** TSC weights of a point at grid coordinate u (grid points at integers): the three nearest points i0 - 1 .. i0 + 1. */
function tsc(u: number, w: Float64Array): number {
  const i0 = Math.round(u);
  const d = u - i0;
  w[0] = 0.5 * (0.5 - d) * (0.5 - d);
  w[1] = 0.75 - d * d;
  w[2] = 0.5 * (0.5 + d) * (0.5 + d);
  return i0;
}

/** sinc(x) = sin(x) / x. */
const sinc = (x: number) => (Math.abs(x) < 1e-8 ? 1 - (x * x) / 6 : portable.sin(x) / x);

/** The grids of structureFactorModesFFT, allocated once for repeated use (a run's samples). */
export interface FftWorkspace extends FftGridSize {
  /** The wavevectors the grid was checked for. */
  wv: Wavevectors;
  re: Float64Array;
  im: Float64Array;
  rowRe: Float64Array;
  rowIm: Float64Array;
}

function checkGrid(wv: Wavevectors, g: FftGridSize): void {
  const { gx, gy } = g;
  const pow2 = (n: number) => Number.isInteger(n) && n >= 2 && (n & (n - 1)) === 0;
  if (!pow2(gx) || !pow2(gy) || gx * gy > MAX_GRID_POINTS)
    throw new ModelError(
      `structure factor: the grid must be powers of two with at most ${MAX_GRID_POINTS} points, got ${gx} x ${gy}`,
    );
  for (let k = 0; k < wv.nx.length; k++)
    if (2 * Math.abs(wv.nx[k]) >= gx || 2 * wv.ny[k] >= gy)
      throw new ModelError(
        `structure factor: the ${gx} x ${gy} grid does not hold the wavevector (${wv.nx[k]}, ${wv.ny[k]}): use a finer grid`,
      );
}

/** Allocates the grids of structureFactorModesFFT for these wavevectors (`grid`: default fftGridFor(wv)). */
export function fftWorkspace(wv: Wavevectors, grid?: FftGridSize): FftWorkspace {
  const g = grid ?? fftGridFor(wv);
  checkGrid(wv, g);
  const G = g.gx * g.gy;
  return {
    gx: g.gx,
    gy: g.gy,
    wv,
    re: new Float64Array(G),
    im: new Float64Array(G),
    rowRe: new Float64Array(g.gx),
    rowIm: new Float64Array(g.gx),
  };
}

/**
 * The structure factors of structureFactorModes from a grid (see the header): TSC deposit on two interlaced periodic
 * grids, one complex 2D FFT, deconvolution of the window; O(N + G^2 log G) per set of weights, memory O(G^2)
 * (`grid`: default fftGridFor(wv); `workspace`: grids from fftWorkspace, reused without allocation). out[w * M + k] as for structureFactorModes. Throws ModelError for bad arguments.
 */
export function structureFactorModesFFT(
  x: Float64Array,
  weights: readonly ArrayLike<number>[],
  wv: Wavevectors,
  options: { grid?: FftGridSize; out?: Float64Array; workspace?: FftWorkspace } = {},
): Float64Array {
  const N = checkPoints(x, weights);
  const W = weights.length,
    M = wv.nx.length;
  const res = options.out ?? new Float64Array(W * M);
  if (res.length !== W * M) throw new ModelError(`structure factor: out must have length ${W * M}`);
  const ws = options.workspace ?? fftWorkspace(wv, options.grid);
  const { gx, gy } = ws;
  if (ws.wv !== wv) checkGrid(wv, ws);
  const [Lx, Ly] = wv.box;
  // re: the grid at points (i, j) h; im: the grid at (i + 1/2, j + 1/2) h. Row-major, y fastest: index i * gy + j.
  const { re, im, rowRe, rowIm } = ws;
  const wxs = new Float64Array(3),
    wys = new Float64Array(3);
  const wrap = (i: number, g: number) => ((i % g) + g) % g;
  const deposit = (grid: Float64Array, ux: number, uy: number, w: number) => {
    const ix = tsc(ux, wxs),
      iy = tsc(uy, wys);
    for (let a = 0; a < 3; a++) {
      const row = wrap(ix - 1 + a, gx) * gy;
      const wa = w * wxs[a];
      for (let b = 0; b < 3; b++) grid[row + wrap(iy - 1 + b, gy)] += wa * wys[b];
    }
  };
  // Deconvolution: 1 / W(q) per axis, for integer components n (|n| < g / 2).
  const decon = (n: number, g: number) => {
    const w = sinc((Math.PI * n) / g);
    return 1 / (w * w * w);
  };
  for (let w = 0; w < W; w++) {
    const ww = weights[w];
    re.fill(0);
    im.fill(0);
    for (let j = 0; j < N; j++) {
      if (ww[j] === 0) continue;
      const ux = (x[2 * j] / Lx) * gx,
        uy = (x[2 * j + 1] / Ly) * gy;
      deposit(re, ux, uy, ww[j]);
      deposit(im, ux - 0.5, uy - 0.5, ww[j]);
    }
    // 2D FFT: along y (contiguous rows), then along x (strided columns).
    for (let i = 0; i < gx; i++) fft(re.subarray(i * gy, (i + 1) * gy), im.subarray(i * gy, (i + 1) * gy));
    for (let j = 0; j < gy; j++) {
      for (let i = 0; i < gx; i++) {
        rowRe[i] = re[i * gy + j];
        rowIm[i] = im[i * gy + j];
      }
      fft(rowRe, rowIm);
      for (let i = 0; i < gx; i++) {
        re[i * gy + j] = rowRe[i];
        im[i * gy + j] = rowIm[i];
      }
    }
    for (let k = 0; k < M; k++) {
      const a = wv.nx[k],
        b = wv.ny[k];
      const p = wrap(a, gx) * gy + wrap(b, gy),
        m = wrap(-a, gx) * gy + wrap(-b, gy);
      // Z = A + i B with A, B the transforms of the two real grids: A = (Z(n) + conj Z(-n)) / 2,
      // B = (Z(n) - conj Z(-n)) / (2 i).
      const ar = 0.5 * (re[p] + re[m]),
        ai = 0.5 * (im[p] - im[m]);
      const br = 0.5 * (im[p] + im[m]),
        bi = -0.5 * (re[p] - re[m]);
      // The shifted grid's points sit at (g + 1/2) h: its mode carries exp(-i q . (h/2, h/2)) more.
      const phase = -Math.PI * (a / gx + b / gy);
      const c = portable.cos(phase),
        s = portable.sin(phase);
      const f = 0.5 * decon(a, gx) * decon(b, gy);
      const rr = f * (ar + br * c - bi * s),
        ri = f * (ai + br * s + bi * c);
      res[w * M + k] = (rr * rr + ri * ri) / N;
    }
  }
  return res;
}

/**
 * Which way structureFactor computes the modes: "fft" when the grid's work (about 40 G_x G_y log2(G_x G_y) + 18 N
 * operations per weight set) is below the direct modes' (about 8 N M), else "modes".
 */
export function structureFactorMethod(N: number, wv: Wavevectors): "modes" | "fft" {
  const M = wv.nx.length;
  let g: FftGridSize;
  try {
    g = fftGridFor(wv);
  } catch {
    return "modes";
  }
  const G = g.gx * g.gy; // a power of two below 2^23: log2(G) = 31 - clz32(G) exactly, in every engine
  return 40 * G * (31 - Math.clz32(G)) + 18 * N < 8 * N * M ? "fft" : "modes";
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
          s += ww[j] * ww[l] * portable.cos(qx * (x[2 * j] - x[2 * l]) + qy * (x[2 * j + 1] - x[2 * l + 1]));
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
 * weights, over the allowed wavevectors 0 < |q| <= qMax (see the header). `method`: "modes" (exact, O(N M)), "fft"
 * (grid, O(N + G^2 log G), shell averages within 2e-3 of the mean S) or "auto" (default: the cheaper, structureFactorMethod).
 * Throws ModelError for bad arguments.
 *
 * @example
 * ```ts
 * import { concentrationWeights, structureFactor } from "ness";
 *
 * // Two points a quarter box apart, one of each species, in a box of side 4: S_cc at |q| = 2 pi / 4.
 * const x = Float64Array.from([0, 0, 1, 0]);
 * const sf = structureFactor(x, [4, 4], [concentrationWeights([1, 0])], { qMax: 2 });
 * console.log(sf.q[0].toFixed(4), sf.count[0], sf.S[0][0].toFixed(4)); // => 1.5708 2 0.1250
 * ```
 */
export function structureFactor(
  x: Float64Array,
  box: ArrayLike<number>,
  weights: readonly ArrayLike<number>[],
  options: { qMax: number; shellWidth?: number; method?: "modes" | "fft" | "auto" },
): ShellStructureFactor {
  if (options === null || typeof options !== "object")
    throw new ModelError("structure factor: options must be an object {qMax, shellWidth?, method?}");
  const wv = wavevectors(box, options.qMax, options.shellWidth);
  const method = options.method ?? "auto";
  if (method !== "modes" && method !== "fft" && method !== "auto")
    throw new ModelError(`structure factor: method must be "modes", "fft" or "auto", got ${String(method)}`);
  const useFft = method === "fft" || (method === "auto" && structureFactorMethod(x.length / 2, wv) === "fft");
  const avg = shellAverages(
    useFft ? structureFactorModesFFT(x, weights, wv) : structureFactorModes(x, weights, wv),
    wv,
  );
  const S = wv.shellQ.length;
  return {
    q: wv.shellQ.slice(),
    S: weights.map((_, w) => avg.slice(w * S, (w + 1) * S)),
    count: wv.shellCount.slice(),
  };
}

/**
 * The concentration weights c_j - x of a labelling (nonzero = the species), x the species' fraction.
 *
 * @example
 * ```ts
 * import { concentrationWeights } from "ness";
 *
 * console.log(Array.from(concentrationWeights([1, 0, 0, 0])).join(" ")); // => 0.75 -0.25 -0.25 -0.25
 * ```
 */
export function concentrationWeights(labels: ArrayLike<number | boolean>): Float64Array {
  if (!Array.isArray(labels) && !ArrayBuffer.isView(labels))
    throw new ModelError("concentrationWeights: the labels must be an array of numbers or booleans");
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
 *
 * @example
 * ```ts
 * import { firstMomentLength } from "ness";
 *
 * // All of the excess at |q| = 1: L = 2 pi.
 * console.log(firstMomentLength([1, 2], [1.25, 0.25], [4, 4], 0.25).toFixed(4)); // => 6.2832
 * ```
 */
export function firstMomentLength(
  q: ArrayLike<number>,
  S: ArrayLike<number>,
  count?: ArrayLike<number>,
  baseline = 0,
): number {
  requireNumbers(q, "firstMomentLength: q");
  requireNumbers(S, "firstMomentLength: S");
  if (count !== undefined) requireNumbers(count, "firstMomentLength: count");
  if (S.length !== q.length || (count !== undefined && count.length !== q.length))
    throw new ModelError(
      `firstMomentLength: q, S${count !== undefined ? " and count" : ""} must have the same length, got ${q.length}, ${S.length}${count !== undefined ? `, ${count.length}` : ""}`,
    );
  requireFinite(baseline, "firstMomentLength: the baseline");
  if (q.length === 0) throw new ModelError("firstMomentLength: no wavevectors (q is empty)");
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
