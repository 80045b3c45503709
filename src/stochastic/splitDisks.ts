/**
 * One large system split across threads (SimulationOptions.threads): overdamped soft disks in a periodic 2D box, one
 * soft law between every pair of species, Euler-Maruyama or Heun, with counter-based noise (counterRng.ts).
 *
 * The step is cut into phases; in each phase thread t of T works on its own share only, and a barrier separates the
 * phases (the executor: `serialExecutor` runs the shares one after another on the calling thread, browser-safe; the
 * Node executor of src/workers/splitThreads.ts runs them on T threads over a SharedArrayBuffer). Shares:
 *   - integration: particles by id, in chunks of CHUNK ids (thread t the chunks [t C / T, (t + 1) C / T));
 *   - forces: rows of cells (thread t a band of rows, a slab of the box);
 *   - the forces' gather back to particle order: cell-order positions in the id shares' chunks.
 * Every number a thread writes is a function of the state alone, not of T:
 *   - the noise of particle i, component k, at step s is the counter stream's number of coordinate 2 i + k (a pure
 *     function of seed, replica, s, coordinate);
 *   - cells are rebuilt at every force evaluation by a counting sort whose order within a cell is increasing id
 *     (each thread counts its ids; thread t's ids follow the lower threads' in every cell), so the cell order is the
 *     same for every T;
 *   - each pair is visited once (Newton's third law), from the particle whose cell's half stencil holds the other
 *     (the rest of its own cell, the cell to its right, the three cells of the row above), in a fixed order; the
 *     force on the other particle goes into a sum of its own row (A) when it lies in the same row of cells, else
 *     into a sum of the row above (H), and after a barrier each particle's force is A + H: every row's sums are
 *     made by one thread in the same order whatever T;
 *   - the potential energy is summed per row of cells, then the rows' sums in order.
 * With the exact pair heat (SplitHeatConfig: the default for soft disks), the force evaluation at the end of each step
 * runs on a second grid of wider cells (the pair range plus a margin), sorted at the step's midpoint when no particle
 * moved more than the margin (else at its end), and takes the step's pair heat in the same sweep (pairHeat.ts's
 * ledger: each pair closer than the range at either end of the step, its trapezoid heat against its exact energy
 * change, shared by the diffusivities), summed per row and species, then the rows in order. The predictor's
 * evaluation keeps the narrow grid (cells of the range: fewer candidate pairs).
 * So the trajectory is the same to the bit for every number of threads (tested with 1, 2 and 3). It is not the
 * default engine's trajectory (neighbour lists with a skin, sums in another order, the default noise stream): the
 * same physics, other rounding and other random numbers.
 */
import { ModelError } from "../errors.js";
import type { ParticlesModel } from "../model/particles.js";
import { CounterRng, counterNormals } from "./counterRng.js";
import type { Integrator, LangevinState, Scheme, SchemeName } from "./integrators.js";
import type { Rng } from "./rng.js";
import * as portable from "../special/elementary.js";

/** Ids (and cell-order positions) per chunk: the unit of the threads' shares of the move and of the gather. */
export const CHUNK = 256;

/** Phases of a step (the executor runs each for every thread, with a barrier after it). */
export const Phase = {
  // Phases 9-12 run on the wide grid of the step's end (SplitHeatConfig); the others on the narrow one.
  /** Wrap x into the box, find each particle's cell, count per cell (own ids). */
  CountX: 0,
  /** Prefix sums of the counts, scatter own ids into the cell order with their wrapped positions. */
  Scatter: 1,
  /** Forces at the sorted positions (own rows of cells) into the cell-order sums A, H; the energy per row. */
  ForcesF: 2,
  /** The same (Heun's predictor: the corrector reads A + H; its energy unused). */
  ForcesFt: 3,
  /** Euler-Maruyama move of own ids (keeping the previous state when asked), then CountX's work on x. */
  EulerMove: 4,
  /** Heun's predictor of own ids: xt = x + mu f + w, then the count on xt. */
  HeunPredict: 5,
  /** Heun's corrector of own ids: x += mu (f + ft) / 2 + w (ft: the predictor's A + H), then the count on x. */
  HeunCorrect: 6,
  /** Heun's corrector without the count: x += ..., the step's midpoint into xt, own largest squared step. */
  HeunCorrectStep: 7,
  /** Euler-Maruyama's move without the count, as HeunCorrectStep. */
  EulerMoveStep: 8,
  /** Wide grid: the count at the midpoint (xt), or at x when some particle moved more than the margin. */
  CountStep: 9,
  /** Wide grid: the scatter, positions at x (relative to the sorted one), displacements and species. */
  ScatterStep: 10,
  /** Wide grid: forces into the cell-order sums A, H and the energy per row (CombineF then writes f). */
  ForcesStep: 11,
  /** Wide grid: ForcesStep's work and the step's pair heat per row and species. */
  ForcesStepHeat: 12,
  /** The forces of the last force phase (A + H, cell order) into f at the ids (own positions). */
  CombineF: 13,
} as const;
export type Phase = (typeof Phase)[keyof typeof Phase];

/** The numbers a split run's threads share besides the arrays: plain data (crosses to worker threads). */
export interface SplitConfig {
  n: number;
  threads: number;
  box: [number, number];
  /** Soft law: U = (k/2) (1 - r/l)^2 for r < l. */
  stiffness: number;
  range: number;
  /** Per particle: dt / gamma and sqrt(2 T dt / gamma). */
  mobilityDt: Float64Array;
  noiseScale: Float64Array;
  keepPrevious: boolean;
  /** The exact pair heat taken in the force loop at each step's end (keepPrevious true), or null/absent. */
  heat?: SplitHeatConfig | null;
}

/** The split's exact pair heat (pairHeat.ts's ledger in the force loop): plain data. */
export interface SplitHeatConfig {
  /** Number of species, the species of each particle. */
  species: number;
  speciesOf: Int32Array;
  /** Per ordered species pair t = s_a * S + s_b: D_a / (D_a + D_b), the share of particle a (1/2 when both are 0). */
  share: Float64Array;
  /** 1 / dt. */
  invDt: number;
  /** The wide grid's cells are at least range + margin wide; a step is accounted when no particle moved more. */
  margin: number;
}

/** Layout of the shared memory: float64 arrays, then int32 arrays, then the control words. */
interface Layout {
  floats: number;
  ints: number;
  bytes: number;
}

/** Control words (Int32 at the end of the buffer): the executor's and the step's. */
export const Ctl = {
  /** The step's noise key (two words) and the step's low word. */
  Key0: 0,
  Key1: 1,
  StepLo: 2,
  /** Executor words (src/workers/splitThreads.ts): generation, phase, arrivals, error flag. */
  Gen: 3,
  Phase: 4,
  Done: 5,
  Error: 6,
  Size: 8,
} as const;

/**
 * Cells per axis: as many as fit cells no smaller than the pair range, but at most about 4 per particle (a sparse
 * system in a large box would otherwise get memory for empty cells without bound; larger cells cover the range too).
 */
export function cellsPerAxis(c: {
  n: number;
  box: [number, number];
  range: number;
  margin?: number;
}): [number, number] {
  const width = c.range + (c.margin ?? 0);
  let nx = Math.floor(c.box[0] / width),
    ny = Math.floor(c.box[1] / width);
  const most = 4 * c.n + 9;
  if (nx * ny > most) {
    const shrink = Math.sqrt((nx * ny) / most);
    nx = Math.max(3, Math.floor(nx / shrink));
    ny = Math.max(3, Math.min(ny, Math.floor(most / nx)));
  }
  return [nx, ny];
}

function layout(c: SplitConfig): Layout {
  const n = c.n,
    [nx, ny] = cellsPerAxis(c),
    nc = nx * ny,
    h = c.heat;
  // x f xPrev fPrev xt z (2n each), wrapped positions (2n), sorted positions (2n), mobility and noise (n each),
  // the cell-order force sums A and H (2n each), energy per row; with the heat: sorted displacements (2n), heat per
  // row (of the wide grid) and species, largest step per thread.
  const rowsWide = h ? cellsPerAxis({ ...c, margin: h.margin })[1] : 0;
  const floats = 8 * 2 * n + 2 * n + 4 * n + ny + (h ? 2 * n + rowsWide * h.species + c.threads : 0);
  // cell of each id, id at each sorted position, sorted position of each id, cell starts (nc + 1), counts and cursors per thread (T nc each)
  // (the wide grid has fewer cells than the narrow one: it uses the same arrays); with the heat: species at each
  // sorted position.
  const ints = 3 * n + nc + 1 + 2 * c.threads * nc + Ctl.Size + (h ? n : 0);
  return { floats, ints, bytes: 8 * floats + 4 * ints };
}

/** The bytes a split run's shared memory takes (for the buffer the executor allocates). */
export function splitBytes(c: SplitConfig): number {
  return layout(c).bytes;
}

/**
 * A split run's kernel over one buffer (an ArrayBuffer, or a SharedArrayBuffer seen by every thread): views of the
 * shared arrays and the phase functions. Browser-safe; allocates nothing after construction.
 */
export class SplitKernel {
  readonly x: Float64Array;
  readonly f: Float64Array;
  readonly xPrev: Float64Array;
  readonly fPrev: Float64Array;
  readonly ctl: Int32Array;
  private readonly xt: Float64Array;
  private readonly z: Float64Array;
  private readonly w: Float64Array;
  private readonly sorted: Float64Array;
  private readonly mob: Float64Array;
  private readonly sc: Float64Array;
  private readonly energy: Float64Array;
  /** Force sums in cell order: from pairs in the particle's own row of cells (A) and from the row below (H). */
  private readonly accA: Float64Array;
  private readonly accH: Float64Array;
  /** Rows of the grid of the last force phase (the energy's). */
  private energyRows = 0;
  private readonly cellOf: Int32Array;
  private readonly ids: Int32Array;
  /** The sorted position of each id (the predictor's forces read by the corrector from the cell-order sums). */
  private readonly posOf: Int32Array;
  private readonly start: Int32Array;
  private readonly counts: Int32Array;
  private readonly cursors: Int32Array;
  /** With the heat: sorted displacements over the step, heat per chunk and species, species at sorted positions. */
  private readonly du: Float64Array;
  private readonly heatChunks: Float64Array;
  private readonly maxStep: Float64Array;
  private readonly spSorted: Int32Array;
  /** This thread's running heat per species (a chunk's). */
  private readonly heatRun: Float64Array;
  /** The grid of the current phase (narrow: cells of the range; wide: of the range plus the heat's margin). */
  private nx: number;
  private ny: number;
  private nc: number;
  private hx: number;
  private hy: number;
  private readonly narrow: [number, number];
  private readonly wide: [number, number];
  /** The largest squared step that the wide grid's midpoint sort covers. */
  readonly covered2: number;
  private readonly chunks: number;
  /** A cell's neighbour runs (forces): cell-order ranges and the image shift of each (per thread: its own kernel). */
  private readonly segLo = new Int32Array(6);
  private readonly segHi = new Int32Array(6);
  private readonly segX = new Float64Array(6);
  private readonly segY = new Float64Array(6);

  constructor(
    readonly config: SplitConfig,
    buffer: ArrayBufferLike,
  ) {
    const c = config,
      n = c.n;
    const L = layout(c);
    if (buffer.byteLength < L.bytes) throw new Error("internal: a split run's buffer is too small");
    this.narrow = cellsPerAxis(c);
    this.wide = c.heat ? cellsPerAxis({ ...c, margin: c.heat.margin }) : this.narrow;
    [this.nx, this.ny] = this.narrow;
    this.nc = this.nx * this.ny;
    this.hx = c.box[0] / this.nx;
    this.hy = c.box[1] / this.ny;
    // A pair closer than the range at either end of a step is closer than range + (largest step) at its midpoint:
    // within the wide cells' stencil while that stays below the narrower cell side (0.98: rounding).
    const side = Math.min(c.box[0] / this.wide[0], c.box[1] / this.wide[1]);
    this.covered2 = c.heat ? (0.98 * (side - c.range)) ** 2 : 0;
    this.chunks = Math.ceil(n / CHUNK);
    const S = c.heat ? c.heat.species : 0;
    let at = 0;
    const f64 = (len: number) => {
      const v = new Float64Array(buffer, 8 * at, len);
      at += len;
      return v;
    };
    this.x = f64(2 * n);
    this.f = f64(2 * n);
    this.xPrev = f64(2 * n);
    this.fPrev = f64(2 * n);
    this.xt = f64(2 * n);
    this.z = f64(2 * n);
    this.w = f64(2 * n);
    this.sorted = f64(2 * n);
    this.mob = f64(n);
    this.sc = f64(n);
    this.accA = f64(2 * n);
    this.accH = f64(2 * n);
    this.energy = f64(this.narrow[1]);
    this.du = f64(c.heat ? 2 * n : 0);
    this.heatChunks = f64(this.wide[1] * S);
    this.maxStep = f64(c.heat ? c.threads : 0);
    this.heatRun = new Float64Array(S);
    at = 8 * L.floats; // bytes from here
    const i32 = (len: number) => {
      const v = new Int32Array(buffer, at, len);
      at += 4 * len;
      return v;
    };
    this.cellOf = i32(n);
    this.ids = i32(n);
    this.posOf = i32(n);
    this.start = i32(this.nc + 1);
    this.counts = i32(c.threads * this.nc);
    this.cursors = i32(c.threads * this.nc);
    this.ctl = i32(Ctl.Size);
    this.spSorted = i32(c.heat ? n : 0);
  }

  /** Sets the grid of the phase: the narrow one (cells of the range) or the wide one (the heat's). */
  private useGrid(wide: boolean): void {
    [this.nx, this.ny] = wide ? this.wide : this.narrow;
    this.nc = this.nx * this.ny;
    this.hx = this.config.box[0] / this.nx;
    this.hy = this.config.box[1] / this.ny;
  }

  /** The largest squared step of any particle in the last step (the threads' maxima; HeunCorrectStep/EulerMoveStep). */
  largestStep2(): number {
    let m = 0;
    for (let t = 0; t < this.maxStep.length; t++) m = Math.max(m, this.maxStep[t]);
    return m;
  }

  /** The step's pair heat per species (per unit time) into out: the rows' sums in order. */
  stepHeat(out: Float64Array): void {
    const S = out.length,
      hc = this.heatChunks;
    out.fill(0);
    for (let k = 0; k < this.wide[1]; k++) for (let s = 0; s < S; s++) out[s] += hc[k * S + s];
  }

  /** Writes the per-particle constants (once, by the thread that owns the run). */
  setup(): void {
    this.mob.set(this.config.mobilityDt);
    this.sc.set(this.config.noiseScale);
  }

  /** Thread t's share of ids (or cell-order positions): [lo, hi). */
  share(t: number): [number, number] {
    const T = this.config.threads,
      C = this.chunks,
      n = this.config.n;
    return [Math.min(n, Math.floor((t * C) / T) * CHUNK), Math.min(n, Math.floor(((t + 1) * C) / T) * CHUNK)];
  }

  /** The potential energy of the last force phase: the rows' sums in order. */
  potential(): number {
    let u = 0;
    for (let k = 0; k < this.energyRows; k++) u += this.energy[k];
    return u;
  }

  run(phase: Phase, t: number): void {
    if (phase < Phase.CombineF) {
      const wide = phase >= Phase.CountStep;
      if ((this.nx === this.wide[0] && this.ny === this.wide[1]) !== wide) this.useGrid(wide);
    }
    switch (phase) {
      case Phase.CountX:
        return this.count(this.x, t);
      case Phase.Scatter:
        return this.scatter(t, false);
      case Phase.ForcesF:
      case Phase.ForcesFt:
      case Phase.ForcesStep:
        this.energyRows = this.ny;
        return this.forces(t, false);
      case Phase.ForcesStepHeat:
        this.energyRows = this.ny;
        return this.forces(t, true);
      case Phase.CombineF:
        return this.combine(this.f, t);
      case Phase.EulerMove:
        this.euler(t);
        return this.count(this.x, t);
      case Phase.HeunPredict:
        this.predict(t);
        return this.count(this.xt, t);
      case Phase.HeunCorrect:
        this.correct(t);
        return this.count(this.x, t);
      case Phase.HeunCorrectStep:
        this.correct(t);
        return this.midpoint(t);
      case Phase.EulerMoveStep:
        this.euler(t);
        return this.midpoint(t);
      case Phase.CountStep:
        return this.count(this.largestStep2() <= this.covered2 ? this.xt : this.x, t);
      case Phase.ScatterStep:
        return this.scatter(t, true);
    }
  }

  /** Own ids: the step's midpoint (xPrev + x) / 2 into xt and the largest squared step into maxStep[t]. */
  private midpoint(t: number): void {
    const [lo, hi] = this.share(t);
    const x = this.x,
      x0 = this.xPrev,
      mid = this.xt;
    let m = 0;
    for (let i = 2 * lo; i < 2 * hi; i += 2) {
      const a0 = x0[i],
        a1 = x[i],
        b0 = x0[i + 1],
        b1 = x[i + 1];
      const ux = a1 - a0,
        uy = b1 - b0;
      const s2 = ux * ux + uy * uy;
      if (s2 > m) m = s2;
      mid[i] = 0.5 * (a0 + a1);
      mid[i + 1] = 0.5 * (b0 + b1);
    }
    this.maxStep[t] = m;
  }

  /** Noise of own ids [lo, hi): the counter stream's numbers of coordinates 2 lo .. 2 hi at this step, scaled. */
  private noise(lo: number, hi: number): void {
    const ctl = this.ctl,
      z = this.z,
      sc = this.sc;
    counterNormals(z, 2 * lo, 2 * lo, 2 * (hi - lo), ctl[Ctl.Key0], ctl[Ctl.Key1], ctl[Ctl.StepLo]);
    for (let i = lo; i < hi; i++) {
      z[2 * i] *= sc[i];
      z[2 * i + 1] *= sc[i];
    }
  }

  private remember(lo: number, hi: number): void {
    if (!this.config.keepPrevious) return;
    const a = 2 * lo,
      b = 2 * hi;
    this.xPrev.set(this.x.subarray(a, b), a);
    this.fPrev.set(this.f.subarray(a, b), a);
  }

  private euler(t: number): void {
    const [lo, hi] = this.share(t);
    this.remember(lo, hi);
    this.noise(lo, hi);
    const x = this.x,
      f = this.f,
      z = this.z,
      mu = this.mob;
    for (let i = lo; i < hi; i++) {
      const m = mu[i];
      x[2 * i] += m * f[2 * i] + z[2 * i];
      x[2 * i + 1] += m * f[2 * i + 1] + z[2 * i + 1];
    }
  }

  private predict(t: number): void {
    const [lo, hi] = this.share(t);
    this.remember(lo, hi);
    this.noise(lo, hi);
    const x = this.x,
      f = this.f,
      z = this.z,
      xt = this.xt,
      mu = this.mob;
    for (let i = lo; i < hi; i++) {
      const m = mu[i];
      xt[2 * i] = x[2 * i] + m * f[2 * i] + z[2 * i];
      xt[2 * i + 1] = x[2 * i + 1] + m * f[2 * i + 1] + z[2 * i + 1];
    }
  }

  /** Heun's corrector of own ids; the predictor's forces are read from the cell-order sums (A + H, no gather). */
  private correct(t: number): void {
    const [lo, hi] = this.share(t);
    const x = this.x,
      f = this.f,
      A = this.accA,
      H = this.accH,
      pos = this.posOf,
      z = this.z,
      mu = this.mob;
    for (let i = lo; i < hi; i++) {
      const m = mu[i],
        q = 2 * pos[i];
      const ftx = A[q] + H[q],
        fty = A[q + 1] + H[q + 1];
      x[2 * i] += 0.5 * m * (f[2 * i] + ftx) + z[2 * i];
      x[2 * i + 1] += 0.5 * m * (f[2 * i + 1] + fty) + z[2 * i + 1];
    }
  }

  /** Own ids: wrapped positions of `pos`, their cells, the counts per cell of this thread. */
  private count(pos: Float64Array, t: number): void {
    const [lo, hi] = this.share(t);
    const nc = this.nc,
      nx = this.nx,
      ny = this.ny;
    const counts = this.counts,
      cellOf = this.cellOf,
      w = this.w;
    const Lx = this.config.box[0],
      Ly = this.config.box[1],
      ihx = 1 / this.hx,
      ihy = 1 / this.hy;
    const base = t * nc;
    counts.fill(0, base, base + nc);
    for (let i = lo; i < hi; i++) {
      let px = pos[2 * i],
        py = pos[2 * i + 1];
      px -= Lx * Math.floor(px / Lx);
      py -= Ly * Math.floor(py / Ly);
      let cx = Math.floor(px * ihx),
        cy = Math.floor(py * ihy);
      // A position a rounding below 0 wraps to L itself: the last cell.
      if (cx >= nx) cx = nx - 1;
      if (cy >= ny) cy = ny - 1;
      const cell = cy * nx + cx;
      w[2 * i] = px;
      w[2 * i + 1] = py;
      cellOf[i] = cell;
      counts[base + cell]++;
    }
  }

  /**
   * Cell starts (thread 0 writes them; every thread computes them) and own ids scattered, increasing within a cell.
   * With `step` (the wide grid at a step's end): the sorted positions are those at x, less the wrap of the position
   * sorted (the midpoint, or x itself), with the step's displacements x - xPrev and the species.
   */
  private scatter(t: number, step: boolean): void {
    const T = this.config.threads,
      nc = this.nc;
    const counts = this.counts,
      cursors = this.cursors,
      start = this.start;
    const mine = t * nc;
    let run = 0;
    for (let c = 0; c < nc; c++) {
      if (t === 0) start[c] = run;
      let before = 0;
      for (let u = 0; u < t; u++) before += counts[u * nc + c];
      cursors[mine + c] = run + before;
      for (let u = 0; u < T; u++) run += counts[u * nc + c];
    }
    if (t === 0) start[nc] = run;
    const [lo, hi] = this.share(t);
    const cellOf = this.cellOf,
      ids = this.ids,
      posOf = this.posOf,
      w = this.w,
      s = this.sorted;
    if (step) {
      const x = this.x,
        x0 = this.xPrev,
        pos = this.largestStep2() <= this.covered2 ? this.xt : x,
        du = this.du,
        sp = this.spSorted,
        species = this.config.heat!.speciesOf;
      for (let i = lo; i < hi; i++) {
        const q = cursors[mine + cellOf[i]]++;
        ids[q] = i;
        posOf[i] = q;
        const a = 2 * i,
          b = 2 * q;
        s[b] = w[a] + (x[a] - pos[a]);
        s[b + 1] = w[a + 1] + (x[a + 1] - pos[a + 1]);
        du[b] = x[a] - x0[a];
        du[b + 1] = x[a + 1] - x0[a + 1];
        sp[q] = species[i];
      }
      return;
    }
    for (let i = lo; i < hi; i++) {
      const q = cursors[mine + cellOf[i]]++;
      ids[q] = i;
      posOf[i] = q;
      s[2 * q] = w[2 * i];
      s[2 * q + 1] = w[2 * i + 1];
    }
  }

  /** Thread t's band of cell rows of the current grid: [r0, r1). */
  private rows(t: number): [number, number] {
    const T = this.config.threads,
      ny = this.ny;
    return [Math.floor((t * ny) / T), Math.floor(((t + 1) * ny) / T)];
  }

  /**
   * The pair forces of own rows of cells (a band: rowsOf), each pair once (Newton's third law): a particle's pairs
   * are those of the half stencil of its cell: the rest of its own cell and the cell to its right (the same row, as
   * one run of consecutive cell-order positions unless the row wraps), and the three cells of the row above (one run
   * unless it wraps), each run in increasing position. Forces on particles of the same row accumulate in A, forces on
   * the row above in H (cell order): every row's sums are made by one thread in a fixed order, and combine() adds
   * A + H, so the numbers do not depend on the number of threads. The energy of each pair (and with `heat` the
   * step's pair heat per species) is summed per row, then the rows in order.
   * With `heat` (the wide grid at a step's end, SplitHeatConfig): also each pair closer than the range at either end
   * of the step (the start's separation is the end's less the pair's relative displacement) gives its two particles
   * their shares of the pair's exact energy change less its trapezoid heat (per unit time).
   */
  private forces(t: number, heat: boolean): void {
    const [r0, r1] = this.rows(t);
    const nx = this.nx,
      ny = this.ny;
    const Lx = this.config.box[0],
      Ly = this.config.box[1];
    const l = this.config.range,
      l2 = l * l,
      il = 1 / l,
      k = this.config.stiffness,
      kl = k * il;
    const s = this.sorted,
      start = this.start,
      A = this.accA,
      H = this.accH,
      en = this.energy;
    const du = this.du,
      sp = this.spSorted,
      hcfg = this.config.heat,
      S = hcfg ? hcfg.species : 0,
      share = hcfg ? hcfg.share : null,
      invDt = hcfg ? hcfg.invDt : 0,
      hc = this.heatChunks,
      hr = this.heatRun;
    for (let r = r0; r < r1; r++) {
      const row = r * nx;
      let up = r + 1,
        sy = 0;
      if (up === ny) {
        up = 0;
        sy = Ly; // the row above is row 0's image, one box up
      }
      const urow = up * nx;
      const q0 = start[row],
        q1 = start[row + nx];
      A.fill(0, 2 * q0, 2 * q1);
      H.fill(0, 2 * start[urow], 2 * start[urow + nx]);
      if (heat) hr.fill(0);
      let e = 0;
      for (let cx = 0; cx < nx; cx++) {
        const c = row + cx,
          cEnd = start[c + 1];
        // Same row: the rest of the cell and the cell to the right (image one box right when the row wraps).
        const rightLo = cx === nx - 1 ? start[row] : cEnd,
          rightHi = cx === nx - 1 ? start[row + 1] : start[c + 2],
          rightX = cx === nx - 1 ? Lx : 0;
        // The row above: cells cx - 1 .. cx + 1 as one run, or two when the row wraps.
        let aLo = 0,
          aHi = 0,
          aX = 0,
          bLo = 0,
          bHi = 0,
          bX = 0;
        if (cx === 0) {
          aLo = start[urow + nx - 1];
          aHi = start[urow + nx];
          aX = -Lx;
          bLo = start[urow];
          bHi = start[urow + 2];
        } else if (cx === nx - 1) {
          aLo = start[urow + cx - 1];
          aHi = start[urow + nx];
          bLo = start[urow];
          bHi = start[urow + 1];
          bX = Lx;
        } else {
          aLo = start[urow + cx - 1];
          aHi = start[urow + cx + 2];
        }
        for (let q = start[c]; q < cEnd; q++) {
          const xi = s[2 * q],
            yi = s[2 * q + 1];
          let fx = 0,
            fy = 0;
          for (let g = 0; g < 4; g++) {
            // g: 0 own cell's rest (and the right cell when contiguous), 1 the right cell across the wrap, 2 and 3
            // the runs of the row above.
            let lo: number, hi: number, bx: number, by: number, acc: Float64Array;
            if (g === 0) {
              lo = q + 1;
              hi = cx === nx - 1 ? cEnd : rightHi;
              bx = xi;
              by = yi;
              acc = A;
            } else if (g === 1) {
              if (cx !== nx - 1) continue;
              lo = rightLo;
              hi = rightHi;
              bx = xi - rightX;
              by = yi;
              acc = A;
            } else if (g === 2) {
              lo = aLo;
              hi = aHi;
              bx = xi - aX;
              by = yi - sy;
              acc = H;
            } else {
              lo = bLo;
              hi = bHi;
              bx = xi - bX;
              by = yi - sy;
              acc = H;
            }
            if (!heat) {
              for (let p = lo; p < hi; p++) {
                const ddx = bx - s[2 * p],
                  ddy = by - s[2 * p + 1];
                const r2 = ddx * ddx + ddy * ddy;
                if (r2 < l2) {
                  const rr = Math.sqrt(r2);
                  const u = 1 - rr * il;
                  if (rr > 0) {
                    const a = (kl * u) / rr;
                    const ax = a * ddx,
                      ay = a * ddy;
                    fx += ax;
                    fy += ay;
                    acc[2 * p] -= ax;
                    acc[2 * p + 1] -= ay;
                  }
                  e += u * u;
                }
              }
              continue;
            }
            // The same forces and energy, and the heat.
            const uxi = du[2 * q],
              uyi = du[2 * q + 1],
              si = sp[q],
              srow = si * S;
            for (let p = lo; p < hi; p++) {
              const ddx = bx - s[2 * p],
                ddy = by - s[2 * p + 1];
              const r2 = ddx * ddx + ddy * ddy;
              // The separation at the step's start: s0 = s1 - (dx_q - dx_p).
              const ux = uxi - du[2 * p],
                uy = uyi - du[2 * p + 1];
              const s0x = ddx - ux,
                s0y = ddy - uy;
              const qq0 = s0x * s0x + s0y * s0y;
              let u1 = 0,
                g1 = 0;
              if (r2 < l2) {
                const rr = Math.sqrt(r2);
                const u = 1 - rr * il;
                if (rr > 0) {
                  const a = (kl * u) / rr;
                  const ax = a * ddx,
                    ay = a * ddy;
                  fx += ax;
                  fy += ay;
                  acc[2 * p] -= ax;
                  acc[2 * p + 1] -= ay;
                }
                e += u * u;
                // The heat's end values: U = k/2 at r = 0 (g = 0 there), g = k (1/l)(1/r - 1/l) (pairLaws.ts).
                if (r2 === 0) u1 = 0.5 * k;
                else {
                  const ir = 1 / Math.sqrt(r2);
                  const hh = 1 - r2 * ir * il;
                  g1 = k * il * (ir - il);
                  u1 = 0.5 * k * hh * hh;
                }
              } else if (qq0 >= l2) continue;
              let u0 = 0,
                g0 = 0;
              if (qq0 < l2) {
                if (qq0 === 0) u0 = 0.5 * k;
                else {
                  const ir = 1 / Math.sqrt(qq0);
                  const hh = 1 - qq0 * ir * il;
                  g0 = k * il * (ir - il);
                  u0 = 0.5 * k * hh * hh;
                }
              }
              // The pair's exact energy change less its trapezoid heat -(F(s0) + F(s1))/2 . u, F = g s, shared by D.
              const error = (u1 - u0 + 0.5 * ((g0 * s0x + g1 * ddx) * ux + (g0 * s0y + g1 * ddy) * uy)) * invDt;
              const sj = sp[p],
                w = share![srow + sj];
              hr[si] += w * error;
              hr[sj] += (1 - w) * error;
            }
          }
          A[2 * q] += fx;
          A[2 * q + 1] += fy;
        }
      }
      en[r] = 0.5 * k * e;
      if (heat) for (let sIdx = 0; sIdx < S; sIdx++) hc[r * S + sIdx] = hr[sIdx];
    }
  }

  /** Own cell-order positions (the id share's range): the forces A + H into out at each particle's id. */
  private combine(out: Float64Array, t: number): void {
    const [lo, hi] = this.share(t);
    const A = this.accA,
      H = this.accH,
      ids = this.ids;
    for (let q = lo; q < hi; q++) {
      const i = ids[q];
      out[2 * i] = A[2 * q] + H[2 * q];
      out[2 * i + 1] = A[2 * q + 1] + H[2 * q + 1];
    }
  }
}

/** Runs the phases of a split step: every thread's share of each phase, a barrier after each. */
export interface SplitExecutor {
  /** The kernel the owning thread works on (its buffer shared with the others). */
  readonly kernel: SplitKernel;
  /** Runs the phases in order, every thread's share of each before the next. */
  run(phases: readonly Phase[]): void;
}

/** Every thread's share run one after another on the calling thread (browser-safe; the same numbers). */
export function serialExecutor(config: SplitConfig): SplitExecutor {
  const kernel = new SplitKernel(config, new ArrayBuffer(splitBytes(config)));
  kernel.setup();
  return {
    kernel,
    run(phases) {
      for (const p of phases) for (let t = 0; t < config.threads; t++) kernel.run(p, t);
    },
  };
}

/** Makes the executor of a split run with threads: src/workers/splitThreads.ts registers the Node one. */
let threadedExecutor: ((config: SplitConfig) => SplitExecutor) | null = null;
let prepareThreads: ((threads: number) => Promise<void>) | null = null;

/**
 * Registers the executor that runs the shares on threads (Node: src/workers/splitThreads.ts) and what gets its threads
 * started (splitReady); null: none (the shares run one after another).
 */
export function registerSplitExecutor(
  make: ((config: SplitConfig) => SplitExecutor) | null,
  prepare: ((threads: number) => Promise<void>) | null = null,
): void {
  threadedExecutor = make;
  prepareThreads = prepare;
}

/** Resolves when a split run on `threads` threads will find its threads started (simulate awaits it). */
export async function splitReady(threads: number): Promise<void> {
  if (threads > 1 && prepareThreads !== null) await prepareThreads(threads);
}

/** The executor for a split run: on threads when one is registered and threads > 1, else serial. */
export function splitExecutor(config: SplitConfig): SplitExecutor {
  return config.threads > 1 && threadedExecutor !== null ? threadedExecutor(config) : serialExecutor(config);
}

/** Most threads a split run takes. */
export const MAX_SPLIT_THREADS = 8;

/**
 * Why a model cannot be split (a sentence), or null when it can: overdamped, 2D, a periodic box of at least three
 * cutoffs per axis, one soft law between every pair of species, no external potential, no bonds.
 */
export function splitRefusal(model: ParticlesModel, scheme: string): string | null {
  if (model.dynamics !== "overdamped") return "it is for overdamped particles";
  if (model.dimension !== 2) return "it is for 2D systems";
  if (!model.box) return "it needs a periodic box";
  if (model.external.length > 0) return "it takes no external potential";
  if (model.bonds && model.bonds.length > 0) return "it takes no bonds";
  if (scheme !== "heun" && scheme !== "euler-maruyama") return "it runs heun or euler-maruyama";
  const S = model.species.length;
  if (model.pairs.length !== (S * (S + 1)) / 2) return "it needs one soft pair law between every pair of species";
  const first = model.pairs[0]?.pair;
  if (!first || first.potential !== "soft") return "it needs one soft pair law between every pair of species";
  for (const r of model.pairs) {
    if (r.pair.potential !== "soft" || r.pair.stiffness !== first.stiffness || r.pair.range !== first.range)
      return "it needs the same soft pair law between every pair of species";
  }
  const l = first.range;
  if (model.box[0] < 3 * l || model.box[1] < 3 * l) return "it needs a box of at least three pair ranges per axis";
  return null;
}

/**
 * The probe's source of each step's exact pair heat in a split run (ParticleProbe's StepHeatSource): enabled by the
 * probe when it wants the exact pair heat and the box leaves room for the wide grid; the split integrator fills it.
 */
export class SplitStepHeat {
  /** Per species: the last step's pair-heat correction per unit time. */
  readonly out: Float64Array;
  /** The wide grid's margin (0: not enabled). */
  margin = 0;
  private diffusivity: Float64Array;
  private fresh = false;

  constructor(private readonly model: ParticlesModel) {
    this.out = new Float64Array(model.species.length);
    this.diffusivity = new Float64Array(model.species.length);
  }

  /**
   * Asks for the step heat (the probe: diffusivities T/gamma per species, the time step); true when the split takes
   * it. The margin is the default engine's skin for it (ParticleForceField.enableStepHeat: a step fails about once in
   * a hundred, and goes to the ledger's pass), at most one range and what three cells per axis leave.
   */
  enableStepHeat(diffusivity: ArrayLike<number>, dt: number): boolean {
    const m = this.model,
      N = m.speciesOf.length;
    const range = (m.pairs[0].pair as { range: number }).range;
    this.diffusivity = Float64Array.from(diffusivity);
    let dmax = 0;
    for (let s = 0; s < m.species.length; s++) if (m.species[s].count > 0) dmax = Math.max(dmax, diffusivity[s]);
    const sigma = Math.sqrt(2 * dmax * dt);
    const room = 0.999 * (Math.min(m.box![0], m.box![1]) / 3 - range);
    const margin = Math.min(1.3 * sigma * Math.sqrt(2 * portable.log(100 * N)), range, room);
    this.margin = margin > 0 && Number.isFinite(margin) ? margin : 0;
    return this.margin > 0;
  }

  /** The heat config of the kernel (null when not enabled). */
  config(dt: number): SplitHeatConfig | null {
    if (this.margin === 0) return null;
    const S = this.model.species.length,
      D = this.diffusivity;
    const share = new Float64Array(S * S);
    for (let a = 0; a < S; a++)
      for (let b = 0; b < S; b++) {
        const sum = D[a] + D[b];
        share[a * S + b] = sum > 0 ? D[a] / sum : 0.5;
      }
    return { species: S, speciesOf: Int32Array.from(this.model.speciesOf), share, invDt: 1 / dt, margin: this.margin };
  }

  /** Marks the last step accounted (out holds its heat) or not. */
  set(accounted: boolean): void {
    this.fresh = accounted;
  }

  /** The last step's pair heat per species, or null when it was not accounted (the probe's ledger then). Consumes. */
  takeStepHeat(): Float64Array | null {
    if (!this.fresh) return null;
    this.fresh = false;
    return this.out;
  }
}

/**
 * The config of a split run of `model` (splitRefusal(model) null) at time step dt on `threads` threads; with `heat`
 * enabled (SplitStepHeat.enableStepHeat), the kernel takes the exact pair heat at each step's end.
 */
export function splitConfig(
  model: ParticlesModel,
  dt: number,
  threads: number,
  keepPrevious: boolean,
  heat: SplitStepHeat | null = null,
): SplitConfig {
  const pair = model.pairs[0].pair as { potential: "soft"; stiffness: number; range: number };
  const sp = model.speciesOf;
  if (!Number.isSafeInteger(threads) || threads < 1 || threads > MAX_SPLIT_THREADS)
    throw new ModelError(`threads must be an integer from 1 to ${MAX_SPLIT_THREADS}, got ${String(threads)}`);
  return {
    n: sp.length,
    threads,
    box: [model.box![0], model.box![1]],
    stiffness: pair.stiffness,
    range: pair.range,
    mobilityDt: Float64Array.from(sp, (s) => dt / model.species[s].friction),
    noiseScale: Float64Array.from(sp, (s) =>
      Math.sqrt((2 * model.species[s].temperature * dt) / model.species[s].friction),
    ),
    keepPrevious,
    heat: keepPrevious && heat !== null ? heat.config(dt) : null,
  };
}

const EULER_STEP: readonly Phase[] = [Phase.EulerMove, Phase.Scatter, Phase.ForcesF, Phase.CombineF];
const HEUN_STEP: readonly Phase[] = [
  Phase.HeunPredict,
  Phase.Scatter,
  Phase.ForcesFt,
  Phase.HeunCorrect,
  Phase.Scatter,
  Phase.ForcesF,
  Phase.CombineF,
];
/** The phases of a force evaluation at x (narrow grid). */
export const FORCE_PHASES: readonly Phase[] = [Phase.CountX, Phase.Scatter, Phase.ForcesF, Phase.CombineF];
// With the heat's wide grid at the step's end (accounted or not: the same forces).
const EULER_WIDE = (account: boolean): Phase[] => [
  Phase.EulerMoveStep,
  Phase.CountStep,
  Phase.ScatterStep,
  account ? Phase.ForcesStepHeat : Phase.ForcesStep,
  Phase.CombineF,
];
const HEUN_WIDE = (account: boolean): Phase[] => [
  Phase.HeunPredict,
  Phase.Scatter,
  Phase.ForcesFt,
  Phase.HeunCorrectStep,
  Phase.CountStep,
  Phase.ScatterStep,
  account ? Phase.ForcesStepHeat : Phase.ForcesStep,
  Phase.CombineF,
];

/**
 * The integrator of a split run (ReplicaRun uses it in place of integrator()): its state's x, f, xPrev and fPrev are
 * the kernel's shared arrays; each step takes the step's key and counter from the state's CounterRng and advances
 * it. One state per integrator (one replica); common random numbers (noise/advance) are not offered.
 */
export function splitIntegrator(
  config: SplitConfig,
  scheme: Scheme<SchemeName>,
  heat: SplitStepHeat | null = null,
): Integrator {
  if (scheme.scheme !== "heun" && scheme.scheme !== "euler-maruyama")
    throw new ModelError(`a split run steps with heun or euler-maruyama, not ${scheme.scheme}`);
  const exec = splitExecutor(config);
  const k = exec.kernel;
  const heun = scheme.scheme === "heun";
  const wide = config.heat
    ? [heun ? HEUN_WIDE(false) : EULER_WIDE(false), heun ? HEUN_WIDE(true) : EULER_WIDE(true)]
    : null;
  const plain = heun ? HEUN_STEP : EULER_STEP;
  let taken = false;
  const force = (st: LangevinState) => {
    exec.run(FORCE_PHASES);
    st.potential = k.potential();
  };
  const step = (st: LangevinState) => {
    const rng = st.rng;
    if (!(rng instanceof CounterRng)) throw new Error("internal: a split run draws counter-based noise");
    k.ctl[Ctl.Key0] = rng.stepKey0();
    k.ctl[Ctl.Key1] = rng.stepKey1();
    k.ctl[Ctl.StepLo] = rng.state[2];
    const account = wide !== null && st.accountStep !== false;
    exec.run(wide === null ? plain : wide[account ? 1 : 0]);
    rng.skip();
    st.potential = k.potential();
    if (heat !== null) {
      const accounted = account && k.largestStep2() <= k.covered2;
      if (accounted) k.stepHeat(heat.out);
      heat.set(accounted);
    }
  };
  const refuse = () => {
    throw new ModelError(
      "a split run (threads) draws its noise in its own phases: common random numbers are not offered",
    );
  };
  return {
    scheme,
    init(rng: Rng): LangevinState {
      if (taken) throw new Error("internal: a split integrator serves one state");
      taken = true;
      return {
        x: k.x,
        p: null,
        f: k.f,
        potential: 0,
        xPrev: config.keepPrevious ? k.xPrev : new Float64Array(0),
        fPrev: config.keepPrevious ? k.fPrev : new Float64Array(0),
        noise: new Float64Array(0),
        rng,
      };
    },
    force,
    step,
    noise: refuse,
    advance: refuse,
  };
}
