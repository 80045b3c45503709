/**
 * Phase-space density and probability current on a 2D grid of two chosen coordinates (Section 4 of [Metzger 2026]):
 *   density  rho(y) = <delta(y - y(t))>, from the state after every step;
 *   current  J(y)   = <delta(y - y(t)) o y'(t)>, Stratonovich: each step's increment (y1 - y0)/dt is binned at the
 *   midpoint (y0 + y1)/2 (unbiased as dt -> 0; a nonzero J with div J = 0 is the signature of broken detailed balance).
 * Coordinates that are particle positions in a periodic box are wrapped into [0, L). Error bars per bin come from
 * the scatter of the batches (same batches as the scalar estimates).
 */

export interface FieldSpec {
  /** Two coordinate names, e.g. ["q:1", "q:2"], ["x:0", "x:1"], ["q:1", "p:1"]. */
  coordinates: [string, string];
  /** Bins per axis; default [40, 40]. */
  bins?: [number, number];
  /** [[lo, hi], [lo, hi]]; default from the exact covariance (+-4 sd) or the box. */
  range?: [[number, number], [number, number]];
}

export interface ResolvedField {
  coordinates: [string, string];
  /** Indices into y = (x, p). */
  index: [number, number];
  bins: [number, number];
  range: [[number, number], [number, number]];
  /** Box length to wrap each coordinate with (0: no wrapping). */
  wrap: [number, number];
}

/** A field's sums, as views of a block's flat sums (ensemble.ts: added over replicas and blocks in order). */
export interface FieldSums {
  /** Per bin and quantity (density, Jx, Jy): sum over batches of the batch values, and of their squares. */
  sum: Float64Array;
  sumSq: Float64Array;
  /** [number of batches folded in, fraction of samples outside the range summed over batches]. */
  counts: Float64Array;
}

export interface FieldResult {
  coordinates: [string, string];
  bins: [number, number];
  range: [[number, number], [number, number]];
  /** Row-major [ix * ny + iy]. */
  density: Float64Array;
  densityError: Float64Array;
  currentX: Float64Array;
  currentXError: Float64Array;
  currentY: Float64Array;
  currentYError: Float64Array;
  /** Fraction of samples that fell outside the range. */
  outside: number;
}

/** Numbers a field's sums take in a flat array. */
export function fieldSumsSize(f: ResolvedField): number {
  return 2 * f.bins[0] * f.bins[1] * 3 + 2;
}

/** The sums of `fields`, one after the other, as views of `flat` (fieldSumsSize numbers each). */
export function fieldSumsViews(fields: ResolvedField[], flat: Float64Array): FieldSums[] {
  let at = 0;
  return fields.map((f) => {
    const nb = f.bins[0] * f.bins[1] * 3;
    const s = {
      sum: flat.subarray(at, at + nb),
      sumSq: flat.subarray(at + nb, at + 2 * nb),
      counts: flat.subarray(at + 2 * nb, at + 2 * nb + 2),
    };
    at += fieldSumsSize(f);
    return s;
  });
}

/** Accumulates one replica's batches of one field. */
export class FieldAccumulator {
  private readonly acc: Float64Array;
  private samples = 0;
  private out = 0;
  private prevA = NaN;
  private prevB = NaN;
  private readonly ia: number;
  private readonly ib: number;
  private readonly loA: number;
  private readonly loB: number;
  private readonly sA: number;
  private readonly sB: number;
  private readonly nx: number;
  private readonly ny: number;
  private readonly area: number;

  constructor(
    private readonly f: ResolvedField,
    private readonly dt: number,
  ) {
    this.nx = f.bins[0];
    this.ny = f.bins[1];
    this.acc = new Float64Array(this.nx * this.ny * 3);
    [this.ia, this.ib] = f.index;
    this.loA = f.range[0][0];
    this.loB = f.range[1][0];
    this.sA = this.nx / (f.range[0][1] - f.range[0][0]);
    this.sB = this.ny / (f.range[1][1] - f.range[1][0]);
    this.area = 1 / (this.sA * this.sB);
  }

  private wrap(v: number, L: number): number {
    return L > 0 ? v - L * Math.floor(v / L) : v;
  }

  /** Records the state y (x then p) after a step; `first` marks the first step after a reset of the history. */
  sample(x: Float64Array, p: Float64Array | null): void {
    const n = x.length;
    const a = this.ia < n ? x[this.ia] : p![this.ia - n];
    const b = this.ib < n ? x[this.ib] : p![this.ib - n];
    const [La, Lb] = this.f.wrap;
    this.samples++;
    const wa = this.wrap(a, La),
      wb = this.wrap(b, Lb);
    const i = Math.floor((wa - this.loA) * this.sA),
      j = Math.floor((wb - this.loB) * this.sB);
    if (i >= 0 && i < this.nx && j >= 0 && j < this.ny) this.acc[(i * this.ny + j) * 3] += 1;
    else this.out++;
    if (!Number.isNaN(this.prevA)) {
      const ma = this.wrap(0.5 * (a + this.prevA), La),
        mb = this.wrap(0.5 * (b + this.prevB), Lb);
      const ci = Math.floor((ma - this.loA) * this.sA),
        cj = Math.floor((mb - this.loB) * this.sB);
      if (ci >= 0 && ci < this.nx && cj >= 0 && cj < this.ny) {
        const k = (ci * this.ny + cj) * 3;
        this.acc[k + 1] += (a - this.prevA) / this.dt;
        this.acc[k + 2] += (b - this.prevB) / this.dt;
      }
    }
    this.prevA = a;
    this.prevB = b;
  }

  /** Remembers the current values without recording (before production starts). */
  prime(x: Float64Array, p: Float64Array | null): void {
    const n = x.length;
    this.prevA = this.ia < n ? x[this.ia] : p![this.ia - n];
    this.prevB = this.ib < n ? x[this.ib] : p![this.ib - n];
  }

  /** The accumulator's state for a checkpoint: [samples, outside, previous a, previous b, the batch's sums...]. */
  saveState(): Float64Array {
    const s = new Float64Array(4 + this.acc.length);
    s[0] = this.samples;
    s[1] = this.out;
    s[2] = this.prevA;
    s[3] = this.prevB;
    s.set(this.acc, 4);
    return s;
  }

  /** Restores saveState's numbers. */
  restoreState(s: Float64Array): void {
    if (s.length !== 4 + this.acc.length) throw new Error("internal: a field accumulator state of the wrong size");
    this.samples = s[0];
    this.out = s[1];
    this.prevA = s[2];
    this.prevB = s[3];
    this.acc.set(s.subarray(4));
  }

  /** Ends a batch: its normalised values are folded into `sums`. */
  endBatch(sums: FieldSums): void {
    const norm = 1 / (this.samples * this.area);
    for (let k = 0; k < this.acc.length; k++) {
      const v = this.acc[k] * norm;
      sums.sum[k] += v;
      sums.sumSq[k] += v * v;
    }
    sums.counts[0]++;
    sums.counts[1] += this.out / this.samples;
    this.acc.fill(0);
    this.samples = 0;
    this.out = 0;
  }
}

export function fieldResult(f: ResolvedField, s: FieldSums): FieldResult {
  const nb = f.bins[0] * f.bins[1];
  const G = s.counts[0];
  const mk = () => new Float64Array(nb);
  const r: FieldResult = {
    coordinates: f.coordinates,
    bins: f.bins,
    range: f.range,
    density: mk(),
    densityError: mk(),
    currentX: mk(),
    currentXError: mk(),
    currentY: mk(),
    currentYError: mk(),
    outside: G > 0 ? s.counts[1] / G : 0,
  };
  const targets = [
    [r.density, r.densityError],
    [r.currentX, r.currentXError],
    [r.currentY, r.currentYError],
  ];
  for (let b = 0; b < nb; b++) {
    for (let q = 0; q < 3; q++) {
      const k = b * 3 + q;
      const m = s.sum[k] / G;
      const v = G > 1 ? Math.max(0, (s.sumSq[k] - G * m * m) / (G - 1)) : NaN;
      targets[q][0][b] = m;
      targets[q][1][b] = Math.sqrt(v / G);
    }
  }
  return r;
}
