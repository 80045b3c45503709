/**
 * One large system split across threads (SimulationOptions.threads): overdamped soft disks in a periodic 2D box, one
 * soft law between every pair of species, Euler-Maruyama or Heun, with counter-based noise (counterRng.ts).
 *
 * The step is cut into phases; in each phase thread t of T works on its own share only, and a barrier separates the
 * phases (the executor: `serialExecutor` runs the shares one after another on the calling thread, browser-safe; the
 * Node executor of src/workers/splitThreads.ts runs them on T threads over a SharedArrayBuffer). Shares:
 *   - integration: particles by id, in chunks of CHUNK ids (thread t the chunks [t C / T, (t + 1) C / T));
 *   - forces: positions in cell order (cells row by row: thread t a band of rows, a slab of the box), same chunks.
 * Every number a thread writes is a function of the state alone, not of T:
 *   - the noise of particle i, component k, at step s is the counter stream's number of coordinate 2 i + k (a pure
 *     function of seed, replica, s, coordinate);
 *   - cells are rebuilt at every force evaluation by a counting sort whose order within a cell is increasing id
 *     (each thread counts its ids; thread t's ids follow the lower threads' in every cell), so the cell order is the
 *     same for every T;
 *   - each particle's force is summed over its own neighbours (both sides of every pair: no writes to another
 *     thread's particles) in a fixed order: the 9 cells of its stencil, then increasing position in the cell order;
 *   - the potential energy is summed per chunk of CHUNK cell-order positions, then the chunk sums in order.
 * So the trajectory is the same to the bit for every number of threads (tested with 1, 2 and 3). It is not the
 * default engine's trajectory (neighbour lists with a skin, sums in another order, the default noise stream): the
 * same physics, other rounding and other random numbers.
 */
import { ModelError } from "../errors.js";
import type { ParticlesModel } from "../model/particles.js";
import { CounterRng, counterNormals } from "./counterRng.js";
import type { Integrator, LangevinState, Scheme, SchemeName } from "./integrators.js";
import type { Rng } from "./rng.js";

/** Ids (and cell-order positions) per chunk: the unit of the threads' shares and of the energy's partial sums. */
export const CHUNK = 256;

/** Phases of a step (the executor runs each for every thread, with a barrier after it). */
export const Phase = {
  /** Wrap x into the box, find each particle's cell, count per cell (own ids). */
  CountX: 0,
  /** Prefix sums of the counts, scatter own ids into the cell order with their wrapped positions. */
  Scatter: 1,
  /** Forces into f at the sorted positions (own cell-order positions), energy per chunk. */
  ForcesF: 2,
  /** Forces into ft (Heun's predictor), no energy. */
  ForcesFt: 3,
  /** Euler-Maruyama move of own ids (keeping the previous state when asked), then CountX's work on x. */
  EulerMove: 4,
  /** Heun's predictor of own ids: xt = x + mu f + w, then the count on xt. */
  HeunPredict: 5,
  /** Heun's corrector of own ids: x += mu (f + ft) / 2 + w, then the count on x. */
  HeunCorrect: 6,
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
export function cellsPerAxis(c: { n: number; box: [number, number]; range: number }): [number, number] {
  let nx = Math.floor(c.box[0] / c.range),
    ny = Math.floor(c.box[1] / c.range);
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
    chunks = Math.ceil(n / CHUNK);
  // x f xPrev fPrev xt ft z (2n each), wrapped positions (2n), sorted positions (2n), mobility and noise (n each),
  // energy chunks.
  const floats = 11 * 2 * n + 2 * n + chunks;
  // cell of each id, id at each sorted position, cell starts (nc + 1), counts and cursors per thread (T nc each).
  const ints = 2 * n + nc + 1 + 2 * c.threads * nc + Ctl.Size;
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
  private readonly ft: Float64Array;
  private readonly z: Float64Array;
  private readonly w: Float64Array;
  private readonly sorted: Float64Array;
  private readonly mob: Float64Array;
  private readonly sc: Float64Array;
  private readonly energy: Float64Array;
  private readonly cellOf: Int32Array;
  private readonly ids: Int32Array;
  private readonly start: Int32Array;
  private readonly counts: Int32Array;
  private readonly cursors: Int32Array;
  private readonly nx: number;
  private readonly ny: number;
  private readonly nc: number;
  private readonly hx: number;
  private readonly hy: number;
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
    [this.nx, this.ny] = cellsPerAxis(c);
    this.nc = this.nx * this.ny;
    this.hx = c.box[0] / this.nx;
    this.hy = c.box[1] / this.ny;
    this.chunks = Math.ceil(n / CHUNK);
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
    this.ft = f64(2 * n);
    this.z = f64(2 * n);
    this.w = f64(2 * n);
    this.sorted = f64(2 * n);
    this.mob = f64(n);
    this.sc = f64(n);
    this.energy = f64(this.chunks);
    at = 8 * L.floats; // bytes from here
    const i32 = (len: number) => {
      const v = new Int32Array(buffer, at, len);
      at += 4 * len;
      return v;
    };
    this.cellOf = i32(n);
    this.ids = i32(n);
    this.start = i32(this.nc + 1);
    this.counts = i32(c.threads * this.nc);
    this.cursors = i32(c.threads * this.nc);
    this.ctl = i32(Ctl.Size);
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

  /** The potential energy: the chunks' sums in order. */
  potential(): number {
    let u = 0;
    for (let k = 0; k < this.chunks; k++) u += this.energy[k];
    return u;
  }

  run(phase: Phase, t: number): void {
    switch (phase) {
      case Phase.CountX:
        return this.count(this.x, t);
      case Phase.Scatter:
        return this.scatter(t);
      case Phase.ForcesF:
        return this.forces(this.f, true, t);
      case Phase.ForcesFt:
        return this.forces(this.ft, false, t);
      case Phase.EulerMove:
        this.euler(t);
        return this.count(this.x, t);
      case Phase.HeunPredict:
        this.predict(t);
        return this.count(this.xt, t);
      case Phase.HeunCorrect:
        this.correct(t);
        return this.count(this.x, t);
    }
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

  private correct(t: number): void {
    const [lo, hi] = this.share(t);
    const x = this.x,
      f = this.f,
      ft = this.ft,
      z = this.z,
      mu = this.mob;
    for (let i = lo; i < hi; i++) {
      const m = mu[i];
      x[2 * i] += 0.5 * m * (f[2 * i] + ft[2 * i]) + z[2 * i];
      x[2 * i + 1] += 0.5 * m * (f[2 * i + 1] + ft[2 * i + 1]) + z[2 * i + 1];
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

  /** Cell starts (thread 0 writes them; every thread computes them) and own ids scattered, increasing within a cell. */
  private scatter(t: number): void {
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
      w = this.w,
      s = this.sorted;
    for (let i = lo; i < hi; i++) {
      const q = cursors[mine + cellOf[i]]++;
      ids[q] = i;
      s[2 * q] = w[2 * i];
      s[2 * q + 1] = w[2 * i + 1];
    }
  }

  /**
   * Forces on the particles at own cell-order positions [lo, hi), into out at each particle's id; with `energy`, half
   * of each pair energy per particle, summed per chunk of positions. A particle's neighbours are those of its cell's
   * stencil, taken as runs of consecutive cell-order positions (segments: the three cells of a row are contiguous in
   * the cell order unless the row wraps, so 3 to 6 runs), made once per cell; within each run, increasing position.
   */
  private forces(out: Float64Array, energy: boolean, t: number): void {
    const [lo, hi] = this.share(t);
    const nx = this.nx,
      ny = this.ny;
    const Lx = this.config.box[0],
      Ly = this.config.box[1];
    const l = this.config.range,
      l2 = l * l,
      il = 1 / l,
      kl = this.config.stiffness * il,
      hk = 0.25 * this.config.stiffness; // half of (k/2): each particle takes half of its pairs' energy
    const s = this.sorted,
      ids = this.ids,
      start = this.start,
      cellOf = this.cellOf,
      en = this.energy;
    const segLo = this.segLo,
      segHi = this.segHi,
      segX = this.segX,
      segY = this.segY;
    let nseg = 0,
      current = -1;
    let chunkSum = 0;
    for (let q = lo; q < hi; q++) {
      const i = ids[q];
      const cell = cellOf[i];
      if (cell !== current) {
        current = cell;
        const cy = Math.floor(cell / nx),
          cx = cell - cy * nx;
        nseg = 0;
        for (let dy = -1; dy <= 1; dy++) {
          let ry = cy + dy,
            sy = 0;
          if (ry < 0) {
            ry += ny;
            sy = -Ly;
          } else if (ry >= ny) {
            ry -= ny;
            sy = Ly;
          }
          const row = ry * nx;
          if (cx === 0) {
            // the row's last cell (an image to the left), then cells 0 and 1
            segLo[nseg] = start[row + nx - 1];
            segHi[nseg] = start[row + nx];
            segX[nseg] = -Lx;
            segY[nseg++] = sy;
            segLo[nseg] = start[row];
            segHi[nseg] = start[row + 2];
            segX[nseg] = 0;
            segY[nseg++] = sy;
          } else if (cx === nx - 1) {
            segLo[nseg] = start[row + cx - 1];
            segHi[nseg] = start[row + nx];
            segX[nseg] = 0;
            segY[nseg++] = sy;
            segLo[nseg] = start[row];
            segHi[nseg] = start[row + 1];
            segX[nseg] = Lx;
            segY[nseg++] = sy;
          } else {
            segLo[nseg] = start[row + cx - 1];
            segHi[nseg] = start[row + cx + 2];
            segX[nseg] = 0;
            segY[nseg++] = sy;
          }
        }
      }
      const xi = s[2 * q],
        yi = s[2 * q + 1];
      let fx = 0,
        fy = 0,
        e = 0;
      for (let g = 0; g < nseg; g++) {
        const bx = xi - segX[g],
          by = yi - segY[g];
        const end = segHi[g];
        for (let p = segLo[g]; p < end; p++) {
          const ddx = bx - s[2 * p],
            ddy = by - s[2 * p + 1];
          const r2 = ddx * ddx + ddy * ddy;
          if (r2 < l2 && p !== q) {
            const r = Math.sqrt(r2);
            const u = 1 - r * il;
            if (r > 0) {
              const a = (kl * u) / r;
              fx += a * ddx;
              fy += a * ddy;
            }
            e += u * u;
          }
        }
      }
      out[2 * i] = fx;
      out[2 * i + 1] = fy;
      if (energy) {
        chunkSum += hk * e;
        if ((q + 1) % CHUNK === 0 || q + 1 === hi) {
          en[Math.floor(q / CHUNK)] = chunkSum;
          chunkSum = 0;
        }
      }
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

/** The config of a split run of `model` (splitRefusal(model) null) at time step dt on `threads` threads. */
export function splitConfig(model: ParticlesModel, dt: number, threads: number, keepPrevious: boolean): SplitConfig {
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
  };
}

const EULER_STEP: readonly Phase[] = [Phase.EulerMove, Phase.Scatter, Phase.ForcesF];
const HEUN_STEP: readonly Phase[] = [
  Phase.HeunPredict,
  Phase.Scatter,
  Phase.ForcesFt,
  Phase.HeunCorrect,
  Phase.Scatter,
  Phase.ForcesF,
];
const FORCE: readonly Phase[] = [Phase.CountX, Phase.Scatter, Phase.ForcesF];

/**
 * The integrator of a split run (ReplicaRun uses it in place of integrator()): its state's x, f, xPrev and fPrev are
 * the kernel's shared arrays; each step takes the step's key and counter from the state's CounterRng and advances
 * it. One state per integrator (one replica); common random numbers (noise/advance) are not offered.
 */
export function splitIntegrator(config: SplitConfig, scheme: Scheme<SchemeName>): Integrator {
  if (scheme.scheme !== "heun" && scheme.scheme !== "euler-maruyama")
    throw new ModelError(`a split run steps with heun or euler-maruyama, not ${scheme.scheme}`);
  const exec = splitExecutor(config);
  const k = exec.kernel;
  const phases = scheme.scheme === "heun" ? HEUN_STEP : EULER_STEP;
  let taken = false;
  const force = (st: LangevinState) => {
    exec.run(FORCE);
    st.potential = k.potential();
  };
  const step = (st: LangevinState) => {
    const rng = st.rng;
    if (!(rng instanceof CounterRng)) throw new Error("internal: a split run draws counter-based noise");
    k.ctl[Ctl.Key0] = rng.stepKey0();
    k.ctl[Ctl.Key1] = rng.stepKey1();
    k.ctl[Ctl.StepLo] = rng.state[2];
    exec.run(phases);
    rng.skip();
    st.potential = k.potential();
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
