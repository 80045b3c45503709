/**
 * A symmetric pencil V - lambda M sliced into levels (a strip's columns: the breadth-first levels from a set of
 * sites), block tridiagonal with small dense blocks, and the growth of its undamped solutions across the slices.
 *
 * With A_x the diagonal blocks and C_x the coupling of level x to level x + 1, the Green's function of the levels
 * 0..x connected to the left end (recursive Green's functions),
 *   g_0 = A_0^-1,  g_(x+1) = (A_(x+1) - C_x^T g_x C_x)^-1,  G_(0,x+1) = -G_(0,x) C_x g_(x+1),
 * costs O(w^3) per level (w the level's width). Any solution u of (V - lambda M) u = 0 (a normal mode at lambda)
 * satisfies u_0 = -G_(0,x) C_x u_(x+1) on the levels 0..x, so |u_0| <= |G_(0,x) C_x| |u_(x+1)| for every x: with
 * u^T M u = 1, |u_0|^2 <= exp(-2 growth) / m_min, growth = max_x -ln |G_(0,x) C_x|_F. For a chain (width 1) this is
 * ln max_x |psi_x| of the solution started at the end (ChainPencil.growth). The left-connected G is the one of the
 * recursive Green's function method of transport through quasi-one-dimensional conductors (e.g. the review of
 * A. MacKinnon, Z. Phys. B 59, 385 (1985)).
 */
export class SlicedPencil {
  /** Number of levels. */
  readonly levels: number;
  /** Sites in level order; level x holds sites[start[x] .. start[x+1]). */
  readonly sites: Int32Array;
  readonly start: Int32Array;
  /** Widest level. */
  readonly width: number;
  /** Offsets of the diagonal blocks V_x (w_x x w_x, row-major) in vBlock. */
  readonly aOff: Int32Array;
  readonly vBlock: Float64Array;
  /** Offsets of the couplings C_x (w_x x w_(x+1), row-major) in cBlock. */
  readonly cOff: Int32Array;
  readonly cBlock: Float64Array;
  /** M's diagonal in level order. */
  readonly mass: Float64Array;
  private readonly g: Float64Array;
  private readonly s: Float64Array;
  private readonly t: Float64Array;
  private readonly c: Float64Array;
  private readonly x: Float64Array;
  private readonly p: Float64Array;
  private readonly piv: Int32Array;

  /**
   * @param level level of every site (0..levels-1; couplings only within a level or between consecutive levels)
   * @param vDiag V_ii; ptr/idx/off: V's off-diagonal entries (CSR, both triangles); mass: M's diagonal.
   */
  constructor(
    level: Int32Array,
    vDiag: Float64Array,
    ptr: Int32Array,
    idx: Int32Array,
    off: Float64Array,
    mass: Float64Array,
  ) {
    const n = level.length;
    let levels = 0;
    for (let i = 0; i < n; i++) levels = Math.max(levels, level[i] + 1);
    this.levels = levels;
    const start = new Int32Array(levels + 1);
    for (let i = 0; i < n; i++) start[level[i] + 1]++;
    for (let x = 0; x < levels; x++) start[x + 1] += start[x];
    const fill = start.slice(0, levels);
    const sites = new Int32Array(n);
    const local = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      local[i] = fill[level[i]] - start[level[i]];
      sites[fill[level[i]]++] = i;
    }
    this.sites = sites;
    this.start = start;
    let width = 0;
    const aOff = new Int32Array(levels + 1);
    const cOff = new Int32Array(levels);
    for (let x = 0; x < levels; x++) {
      const w = start[x + 1] - start[x];
      width = Math.max(width, w);
      aOff[x + 1] = aOff[x] + w * w;
      if (x + 1 < levels) cOff[x + 1] = cOff[x] + w * (start[x + 2] - start[x + 1]);
    }
    this.width = width;
    this.aOff = aOff;
    this.cOff = cOff;
    this.vBlock = new Float64Array(aOff[levels]);
    this.cBlock = new Float64Array(levels > 1 ? cOff[levels - 1] : 0);
    this.mass = new Float64Array(n);
    for (let x = 0; x < levels; x++) {
      const w = start[x + 1] - start[x];
      for (let a = 0; a < w; a++) {
        const i = sites[start[x] + a];
        this.mass[start[x] + a] = mass[i];
        this.vBlock[aOff[x] + a * w + a] = vDiag[i];
        for (let q = ptr[i]; q < ptr[i + 1]; q++) {
          const j = idx[q];
          if (level[j] === x) this.vBlock[aOff[x] + a * w + local[j]] = off[q];
          else if (level[j] === x + 1) {
            const w1 = start[x + 2] - start[x + 1];
            this.cBlock[cOff[x] + a * w1 + local[j]] = off[q];
          } else if (level[j] !== x - 1) throw new RangeError("SlicedPencil: a coupling skips a level");
        }
      }
    }
    const w2 = width * width;
    const w0 = Math.max(start[1] - start[0], start[levels] - start[levels - 1]);
    this.g = new Float64Array(w2);
    this.s = new Float64Array(w2);
    this.t = new Float64Array(w2);
    this.c = new Float64Array(w2);
    this.x = new Float64Array(w0 * width);
    this.p = new Float64Array(w0 * width);
    this.piv = new Int32Array(width);
  }

  /** Width of level x. */
  widthOf(x: number): number {
    return this.start[x + 1] - this.start[x];
  }

  /**
   * max_x -ln |G_(0,x) C_x|_F at lambda, from level 0 (reverse: from the last level). Rounding-level pivots are
   * perturbed (a near-singular level only lowers the growth at that level).
   */
  growth(lambda: number, reverse = false): number {
    const L = this.levels;
    if (L < 2) return 0;
    const lev = (k: number) => (reverse ? L - 1 - k : k);
    const { g, s, t, c, x: X, p: P } = this;
    const w0 = this.widthOf(lev(0));
    this.block(lev(0), lambda, s);
    invert(s, g, w0, this.piv, t);
    X.set(g.subarray(0, w0 * w0));
    let logScale = normalise(X, w0 * w0);
    let best = -Infinity;
    for (let k = 0; k + 1 < L; k++) {
      const a = lev(k);
      const b = lev(k + 1);
      const wa = this.widthOf(a);
      const wb = this.widthOf(b);
      // c = coupling from level a to level b (wa x wb).
      if (!reverse) c.set(this.cBlock.subarray(this.cOff[a], this.cOff[a] + wa * wb));
      else {
        const src = this.cOff[b];
        for (let i = 0; i < wa; i++) for (let j = 0; j < wb; j++) c[i * wb + j] = this.cBlock[src + j * wa + i];
      }
      // P = X c (w0 x wb); candidate growth.
      matmul(X, c, P, w0, wa, wb);
      let nP = 0;
      for (let i = 0; i < w0 * wb; i++) nP += P[i] * P[i];
      nP = Math.sqrt(nP);
      if (nP > 0 && Number.isFinite(nP)) best = Math.max(best, -(logScale + Math.log(nP)));
      // S = A_b - c^T g c.
      matmul(g, c, t, wa, wa, wb);
      this.block(b, lambda, s);
      for (let i = 0; i < wb; i++)
        for (let j = 0; j < wb; j++) {
          let sum = 0;
          for (let q = 0; q < wa; q++) sum += c[q * wb + i] * t[q * wb + j];
          s[i * wb + j] -= sum;
        }
      invert(s, g, wb, this.piv, t);
      // X = -P g, normalised.
      matmul(P, g, X, w0, wb, wb);
      const sc = normalise(X, w0 * wb);
      if (!Number.isFinite(sc)) return Number.isFinite(best) ? best : 0;
      logScale += sc;
    }
    return Number.isFinite(best) ? best : 0;
  }

  /** A_x = V_x - lambda M_x into out (w x w). */
  private block(x: number, lambda: number, out: Float64Array): void {
    const w = this.widthOf(x);
    out.set(this.vBlock.subarray(this.aOff[x], this.aOff[x] + w * w));
    for (let a = 0; a < w; a++) out[a * w + a] -= lambda * this.mass[this.start[x] + a];
  }
}

/** out = a b (m x k times k x n, row-major). */
function matmul(a: Float64Array, b: Float64Array, out: Float64Array, m: number, k: number, n: number): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) out[i * n + j] = 0;
    for (let q = 0; q < k; q++) {
      const aiq = a[i * k + q];
      if (aiq === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j] += aiq * b[q * n + j];
    }
  }
}

/** Scales v[0..len) to unit Frobenius norm; returns ln of the norm (-Infinity for zero, NaN for non-finite). */
function normalise(v: Float64Array, len: number): number {
  let s = 0;
  for (let i = 0; i < len; i++) s += v[i] * v[i];
  s = Math.sqrt(s);
  if (!(s > 0) || !Number.isFinite(s)) return s === 0 ? -Infinity : NaN;
  for (let i = 0; i < len; i++) v[i] /= s;
  return Math.log(s);
}

/**
 * out = a^-1 (w x w) by Gauss-Jordan elimination with partial pivoting; a is overwritten; work: w x w scratch. A
 * pivot below 1e-15 of the matrix's largest entry is replaced by that size (a perturbation at rounding level).
 */
function invert(a: Float64Array, out: Float64Array, w: number, piv: Int32Array, work: Float64Array): void {
  let scale = 0;
  for (let i = 0; i < w * w; i++) scale = Math.max(scale, Math.abs(a[i]));
  const tiny = 1e-15 * (scale > 0 ? scale : 1);
  for (let i = 0; i < w * w; i++) work[i] = 0;
  for (let i = 0; i < w; i++) work[i * w + i] = 1;
  for (let i = 0; i < w; i++) piv[i] = i;
  for (let k = 0; k < w; k++) {
    let r = k;
    for (let i = k + 1; i < w; i++) if (Math.abs(a[i * w + k]) > Math.abs(a[r * w + k])) r = i;
    if (r !== k) {
      for (let j = 0; j < w; j++) {
        let tmp = a[k * w + j];
        a[k * w + j] = a[r * w + j];
        a[r * w + j] = tmp;
        tmp = work[k * w + j];
        work[k * w + j] = work[r * w + j];
        work[r * w + j] = tmp;
      }
    }
    let d = a[k * w + k];
    if (!(Math.abs(d) >= tiny)) d = d < 0 ? -tiny : tiny;
    const inv = 1 / d;
    for (let j = 0; j < w; j++) {
      a[k * w + j] *= inv;
      work[k * w + j] *= inv;
    }
    a[k * w + k] = 1;
    for (let i = 0; i < w; i++) {
      if (i === k) continue;
      const f = a[i * w + k];
      if (f === 0) continue;
      for (let j = 0; j < w; j++) {
        a[i * w + j] -= f * a[k * w + j];
        work[i * w + j] -= f * work[k * w + j];
      }
    }
  }
  out.set(work.subarray(0, w * w));
}
