/**
 * One large system split across threads (SimulationOptions.threads): overdamped soft disks in a periodic 2D box, one
 * soft law between every pair of species, Euler-Maruyama or Heun, with counter-based noise (counterRng.ts).
 *
 * The step is cut into phases; in each phase thread t of T works on its own share only, and a barrier separates the
 * phases (the executor: `serialExecutor` runs the shares one after another on the calling thread, browser-safe; the
 * Node executor of src/workers/splitThreads.ts runs them on T threads over a SharedArrayBuffer). Shares:
 *   - integration: particles by id, in chunks of CHUNK ids (thread t the chunks [t C / T, (t + 1) C / T));
 *   - the neighbour list and the forces: rows of cells (thread t a band of rows, a slab of the box);
 *   - the gathers between particle order and cell order: cell-order positions in the id shares' chunks.
 * Neighbours (Verlet's rule): the particles are sorted into cells of the pair range plus a skin (SplitConfig.skin) by
 * a counting sort whose order within a cell is increasing id (each thread counts its ids; thread t's ids follow the
 * lower threads' in every cell), and each thread lists, for its own rows, the pairs closer than range + skin. A force
 * evaluation gathers the positions into cell order and sums over the lists; a new sort comes only when some particle
 * moved more than half the skin since the last (so every pair closer than the range is listed).
 * Every number a thread writes is a function of the state alone, not of T:
 *   - the noise of particle i, component k, at step s is the counter stream's number of coordinate 2 i + k (a pure
 *     function of seed, replica, s, coordinate);
 *   - the cell order, the lists and the decision to sort (the largest displacement, a maximum) are the same for
 *     every T;
 *   - each pair is listed once (Newton's third law), from the particle whose cell's half stencil holds the other
 *     (the rest of its own cell, the cell to its right, the three cells of the row above), in a fixed order; the
 *     force on the other particle goes into a sum of its own row (A) when it lies in the same row of cells, else
 *     into a sum of the row above (H), and after a barrier each particle's force is A + H: every row's sums are
 *     made by one thread in the same order whatever T;
 *   - the potential energy is summed per row of cells, then the rows' sums in order.
 * With the exact pair heat (SplitHeatConfig: the default for soft disks), the force evaluation at the end of each step
 * takes the step's pair heat in the same sweep over the lists (pairHeat.ts's ledger: each pair closer than the range
 * at either end of the step, its trapezoid heat against its exact energy change, shared by the diffusivities), summed
 * per row and species, then the rows in order. Both ends of a step are checked against the last sort; when one is
 * outside half the skin, the new sort is at the step's midpoint, which covers both ends while no particle moved more
 * than the skin in the step (else the sort is at the end and the step goes to the probe's ledger).
 * Every phase runs in WebAssembly (asm/particles/split.ts: the moves with their checks in one pass, the sort's count
 * and scatter, the list's build, the gathers and forces, the combine with the trapezoid sums; the same arithmetic in
 * the same order as the JavaScript loops here, which remain the fallback) when the run's buffer is a
 * WebAssembly.Memory (splitMemory: shared for threads, each thread its own instance of the kernel over it); the noise
 * kernel (asm/particles/noise.ts, SIMD) writes each thread's normals straight into the run's memory too, a block of
 * ids at a time just before the block's move (MOVE_BLOCK). Each
 * thread's list lives in its own region at the buffer's end.
 * So the trajectory is the same to the bit for every number of threads (tested with 1, 2 and 3). It is not the
 * default engine's trajectory (other lists, sums in another order, the default noise stream): the same physics,
 * other rounding and other random numbers.
 */
import { ModelError } from "../errors.js";
import { FAR_BOX_LENGTHS, refusePositions } from "./blowUp.js";
import type { ParticlesModel } from "../model/particles.js";
import { CounterFillOver, CounterRng, counterFillOver, counterNormals } from "./counterRng.js";
import type { Integrator, LangevinState, Scheme, SchemeName } from "./integrators.js";
import { verletSkin } from "./particleForces.js";
import { KN, WN, type Rng } from "./rng.js";
import { FN } from "./zigguratTables.js";
import * as portable from "../special/elementary.js";
import { lazyWasmModule } from "../linalg/wasm/lazyModule.js";
import { SPLIT_PLAIN_WASM_BASE64, SPLIT_SHARED_WASM_BASE64 } from "./splitForcesWasm.js";

/** Ids (and cell-order positions) per chunk: the unit of the threads' shares of the move and of the gather. */
export const CHUNK = 256;

/** Ids per block of a move in WebAssembly (the block's noise is drawn just before its move, into the cache). */
const MOVE_BLOCK = 2 * CHUNK;

/** Phases of a step (the executor runs each for every thread, with a barrier after it). */
export const Phase = {
  /** Wrap x into the box, find each particle's cell, count per cell (own ids): a sort at x. */
  CountX: 0,
  /** The same at xt (Heun's predictor, or the step's midpoint). */
  CountXt: 1,
  /** Prefix sums of the counts, scatter own ids into the cell order with their wrapped positions. */
  Scatter: 2,
  /** Own rows: the list of pairs closer than range + skin at the sorted positions. */
  Build: 3,
  /** Own rows and the row above (the forces read it): the positions at x (less the last sort's wraps), then the
   * forces over own rows' lists into the cell-order sums A, H and the energy per row. */
  ForcesX: 4,
  /** The same at xt (Heun's predictor). */
  ForcesXt: 5,
  /** ForcesX's work with the step's displacements x - xPrev (gathered beside the positions). */
  ForcesStep: 6,
  /** ForcesStep's work and the step's pair heat per row and species. */
  ForcesStepHeat: 7,
  /** Euler-Maruyama move of own ids (keeping the previous state when asked), own largest displacement since the sort. */
  EulerMove: 8,
  /** Heun's predictor of own ids: xt = x + mu f + w, own largest displacement of xt since the sort. */
  HeunPredict: 9,
  /** Heun's corrector of own ids: x += mu (f + ft) / 2 + w (ft: the predictor's A + H), as EulerMove. */
  HeunCorrect: 10,
  /** The forces of the last force phase (A + H, cell order) into f at the ids (own positions). */
  CombineF: 11,
  /** CountX's work at the last sort's positions (a checkpoint's restart: the same cell order and lists). */
  CountRef: 12,
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
  /** The neighbour lists' skin (pairs closer than range + skin are listed); absent: 0.3 range. */
  skin?: number;
  /** Per particle: dt / gamma and sqrt(2 T dt / gamma). */
  mobilityDt: Float64Array;
  noiseScale: Float64Array;
  keepPrevious: boolean;
  /** The exact pair heat taken in the force loop at each step's end (keepPrevious true), or null/absent. */
  heat?: SplitHeatConfig | null;
  /**
   * The probe's trapezoid pass taken by the threads (keepPrevious true): each step's trapezoid heat and displacement
   * sums per species, made in the pass that writes the step's end forces (SplitStepHeat.addTrapezoid), or null/absent.
   */
  sums?: SplitSumsConfig | null;
}

/** The split's trapezoid sums (the probe's per-step pass over the particles, taken by the threads): plain data. */
export interface SplitSumsConfig {
  /** Number of species, the species of each particle. */
  species: number;
  speciesOf: Int32Array;
  /** 1 / dt. */
  invDt: number;
}

/** Numbers per species of the trapezoid sums: the heat, the displacement per axis. */
const SUMS_PER_SPECIES = 3;

/** The split's exact pair heat (pairHeat.ts's ledger in the force loop): plain data. */
export interface SplitHeatConfig {
  /** Number of species, the species of each particle. */
  species: number;
  speciesOf: Int32Array;
  /** Per ordered species pair t = s_a * S + s_b: D_a / (D_a + D_b), the share of particle a (1/2 when both are 0). */
  share: Float64Array;
  /** 1 / dt. */
  invDt: number;
  /** The least skin that the step heat asks for (SplitStepHeat.enableStepHeat). */
  margin: number;
}

/**
 * Layout of the shared memory: float64 arrays, then int32 arrays (with the control words), then each thread's
 * neighbour list (its own memory: only that thread writes and reads it).
 */
interface Layout {
  floats: number;
  ints: number;
  /** Pairs a thread's list holds in the buffer (more: the list moves to arrays of its own, the JavaScript loops). */
  cap: number;
  /** Bytes of one thread's list: mid and end (n each, i32), partner (cap, i32), code (cap, u8; padded to 8). */
  listBytes: number;
  /** Room of one thread's indices of rejected normals (two per id of its share, and one). */
  pendRoom: number;
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

/** The skin of a config (0.3 range when it names none). */
export function splitSkin(c: { range: number; skin?: number }): number {
  return c.skin ?? 0.3 * c.range;
}

/**
 * Cells per axis: as many as fit cells no smaller than the pair range plus the margin (the skin), but at most about 4
 * per particle (a sparse system in a large box would otherwise get memory for empty cells without bound; larger cells
 * cover the reach too).
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

const gridOf = (c: SplitConfig): [number, number] => cellsPerAxis({ ...c, margin: splitSkin(c) });

function layout(c: SplitConfig): Layout {
  const n = c.n,
    [nx, ny] = gridOf(c),
    nc = nx * ny,
    h = c.heat,
    S = h ? h.species : 0,
    sums = c.sums ? Math.ceil(n / CHUNK) * c.sums.species * SUMS_PER_SPECIES : 0;
  // x f xPrev fPrev xt z (2n each), wrapped positions (2n), sorted positions (2n), the positions of the last sort by
  // id and their wraps by sorted position (2n each), mobility and noise (n each), the cell-order force sums A and H
  // (2n each), energy per row, largest displacement and largest step per thread; with the heat: sorted
  // displacements (2n), heat per row and species; with the sums: per chunk of cell-order positions and species.
  // The image shifts per pair code (6 per axis) and, with the heat, the species pairs' shares (S x S); the
  // ziggurat's widths and densities (128 each) for the noise kernel.
  const floats =
    8 * 2 * n + 2 * 2 * n + 2 * n + 4 * n + ny + 2 * c.threads + (h ? 2 * n + ny * S : 0) + sums + 12 + S * S + 256;
  // cell of each id, id at each sorted position, sorted position of each id, cell starts (nc + 1), counts and cursors
  // per thread (T nc each), a flag per thread (its last count met a position outside the grid); with the heat: species
  // at each sorted position; with the heat or the sums: the species of each id; the ziggurat's thresholds (128) and
  // per thread the indices of the normals the noise kernel's fast path rejected.
  const pendRoom = 2 * Math.ceil(Math.ceil(n / CHUNK) / c.threads) * CHUNK + 1;
  const ints =
    3 * n +
    nc +
    1 +
    2 * c.threads * nc +
    c.threads +
    Ctl.Size +
    (h ? n : 0) +
    (h || c.sums ? n : 0) +
    128 +
    c.threads * pendRoom;
  // A thread's list: three times the pairs closer than range + skin that its share of a uniform system has (about
  // pi reach^2 rho / 2 per particle, each pair listed once), and a few thousand more.
  const reach = c.range + splitSkin(c),
    perParticle = (Math.PI * reach * reach * n) / (2 * c.box[0] * c.box[1]);
  const cap = Math.ceil(3 * Math.max(1, perParticle) * Math.ceil(n / c.threads)) + 4096;
  const listBytes = 8 * n + 4 * cap + 8 * Math.ceil(cap / 8);
  const head = 8 * floats + 4 * ints,
    lists = 8 * Math.ceil(head / 8);
  return { floats, ints, cap, listBytes, pendRoom, bytes: lists + c.threads * listBytes };
}

/** The bytes a split run's shared memory takes (for the buffer the executor allocates). */
export function splitBytes(c: SplitConfig): number {
  return layout(c).bytes;
}

const sharedModule = lazyWasmModule(SPLIT_SHARED_WASM_BASE64);
const plainModule = lazyWasmModule(SPLIT_PLAIN_WASM_BASE64);

/** The force loop's exports (asm/particles/split.ts; addresses are byte offsets into the run's memory). */
interface SplitWasm {
  build(
    r0: number,
    r1: number,
    nx: number,
    ny: number,
    start: number,
    s: number,
    sx: number,
    sy: number,
    partner: number,
    code: number,
    mid: number,
    end: number,
    cap: number,
    reach2: number,
  ): number;
  gather(ids: number, pos: number, wrap: number, s: number, x0: number, du: number, lo: number, hi: number): void;
  forces(
    r0: number,
    r1: number,
    nx: number,
    ny: number,
    partner: number,
    code: number,
    mid: number,
    end: number,
    s: number,
    start: number,
    A: number,
    H: number,
    en: number,
    sx: number,
    sy: number,
    k: number,
    l2: number,
    il: number,
    kl: number,
    du: number,
    sp: number,
    S: number,
    share: number,
    invDt: number,
    hrows: number,
  ): void;
  move(
    kind: number,
    lo: number,
    hi: number,
    x: number,
    f: number,
    x0: number,
    f0: number,
    keep: number,
    z: number,
    sc: number,
    mu: number,
    xt: number,
    A: number,
    H: number,
    posOf: number,
    ref: number,
    heat: number,
    maxDisp: number,
    maxStep: number,
  ): void;
  count(
    lo: number,
    hi: number,
    pos: number,
    w: number,
    ref: number,
    cellOf: number,
    counts: number,
    nx: number,
    ny: number,
    Lx: number,
    Ly: number,
    ihx: number,
    ihy: number,
  ): number;
  scatter(
    t: number,
    T: number,
    nc: number,
    counts: number,
    cursors: number,
    start: number,
    lo: number,
    hi: number,
    cellOf: number,
    ids: number,
    posOf: number,
    w: number,
    ref: number,
    wrap: number,
    s: number,
    speciesOf: number,
    sp: number,
  ): void;
  combine(
    lo: number,
    hi: number,
    out: number,
    A: number,
    H: number,
    ids: number,
    x: number,
    x0: number,
    f0: number,
    cs: number,
    S: number,
    speciesOf: number,
    invDt: number,
    chunk: number,
    du: number,
    sp: number,
  ): void;
}

/** Whether split kernels made from now on use the WebAssembly force loop (tests compare it with the JavaScript loops). */
let useWasm = true;

/** Sets whether split kernels made from now on (on this thread) use the WebAssembly force loop; returns the old value. */
export function setSplitWasm(on: boolean): boolean {
  const old = useWasm;
  useWasm = on;
  return old;
}

/**
 * A memory for a split run of `bytes` bytes (shared: for threads), or null where WebAssembly's memory (or the
 * module) is missing or refused: the run's buffer is then a plain (Shared)ArrayBuffer and the JavaScript loops run.
 */
export function splitMemory(bytes: number, shared: boolean): WebAssembly.Memory | null {
  if (!useWasm || typeof WebAssembly !== "object") return null;
  if ((shared ? sharedModule() : plainModule()) === null) return null;
  const pages = Math.max(1, Math.ceil(bytes / 65536));
  try {
    return shared
      ? new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true })
      : new WebAssembly.Memory({ initial: pages });
  } catch {
    return null;
  }
}

/** This thread's instance of the force loop over `memory` (null when none can be made). */
function splitInstance(memory: WebAssembly.Memory): SplitWasm | null {
  const shared = typeof SharedArrayBuffer !== "undefined" && memory.buffer instanceof SharedArrayBuffer;
  const mod = shared ? sharedModule() : plainModule();
  if (mod === null) return null;
  try {
    return new WebAssembly.Instance(mod, { env: { memory } }).exports as unknown as SplitWasm;
  } catch {
    return null;
  }
}

/**
 * One thread's neighbour list (its own rows; private to the thread that builds and reads it): for each of its
 * cell-order positions q the partners p closer than range + skin at the sort, those of q's own row (their forces
 * into A) up to mid[q], then those of the row above (into H) up to end[q]; each with the code of its image shift.
 */
class RowList {
  partner: Int32Array;
  code: Uint8Array;
  /** Per cell-order position (of this thread's rows): where its same-row pairs end, where all its pairs end. */
  readonly mid: Int32Array;
  readonly end: Int32Array;
  /** The arrays in the run's buffer (the WebAssembly loop reads them there). */
  private readonly homePartner: Int32Array;
  private readonly homeCode: Uint8Array;
  constructor(n: number, buffer: ArrayBufferLike, at: number, cap: number) {
    this.mid = new Int32Array(buffer, at, n);
    this.end = new Int32Array(buffer, at + 4 * n, n);
    this.partner = this.homePartner = new Int32Array(buffer, at + 8 * n, cap);
    this.code = this.homeCode = new Uint8Array(buffer, at + 8 * n + 4 * cap, cap);
  }
  /** True while the list is in the run's buffer (it has not outgrown it since the last build began). */
  home(): boolean {
    return this.partner === this.homePartner;
  }
  /** Back to the buffer's arrays (a new build). */
  reset(): void {
    this.partner = this.homePartner;
    this.code = this.homeCode;
  }
  grow(): void {
    const p = new Int32Array(2 * this.partner.length);
    p.set(this.partner);
    this.partner = p;
    const c = new Uint8Array(2 * this.code.length);
    c.set(this.code);
    this.code = c;
  }
}

/**
 * A split run's kernel over one buffer (an ArrayBuffer, or a SharedArrayBuffer seen by every thread): views of the
 * shared arrays and the phase functions. Browser-safe; allocates nothing after construction except when a thread's
 * neighbour list outgrows its arrays (doubled).
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
  /** The positions of the last sort (by id) and their wraps (sorted position minus wrapped position, cell order). */
  private readonly ref: Float64Array;
  private readonly wrap: Float64Array;
  private readonly mob: Float64Array;
  private readonly sc: Float64Array;
  private readonly energy: Float64Array;
  /** Force sums in cell order: from pairs in the particle's own row of cells (A) and from the row below (H). */
  private readonly accA: Float64Array;
  private readonly accH: Float64Array;
  private readonly cellOf: Int32Array;
  private readonly ids: Int32Array;
  /** The sorted position of each id (the predictor's forces read by the corrector from the cell-order sums). */
  private readonly posOf: Int32Array;
  private readonly start: Int32Array;
  private readonly counts: Int32Array;
  private readonly cursors: Int32Array;
  /** Per thread: 1 when its last count met a position outside the grid (the JavaScript loops take that sort). */
  private readonly offGrid: Int32Array;
  /** With the heat or the sums: the species of each id (in the buffer, written by setup). */
  private readonly speciesOf: Int32Array;
  /** Per thread: the largest squared displacement since the last sort, the largest squared step (the moves'). */
  private readonly maxDisp: Float64Array;
  private readonly maxStep: Float64Array;
  /** With the heat: sorted displacements over the step, heat per row and species, species at sorted positions. */
  private readonly du: Float64Array;
  private readonly heatRows: Float64Array;
  private readonly spSorted: Int32Array;
  /** This thread's running heat per species (a row's). */
  private readonly heatRun: Float64Array;
  /** With the sums: per chunk of cell-order positions, per species, the trapezoid heat and the displacements. */
  private readonly chunkSums: Float64Array;
  private readonly nx: number;
  private readonly ny: number;
  private readonly nc: number;
  private readonly hx: number;
  private readonly hy: number;
  /** The skin; a sort is due when a particle moved more than `half` (a little under skin / 2: rounding). */
  readonly skin: number;
  readonly half2: number;
  private readonly chunks: number;
  /** The neighbour list of each thread this kernel runs (one on a worker thread; all in the serial executor). */
  private readonly lists: (RowList | null)[];
  /** Image shift of each pair code: x (-Lx, 0, Lx) and y (0, Ly) (in the buffer, written by setup). */
  private readonly shiftX: Float64Array;
  private readonly shiftY: Float64Array;
  /** With the heat: the species pairs' shares (SplitHeatConfig.share; in the buffer, written by setup). */
  private readonly shares: Float64Array;
  /** The ziggurat's tables and each thread's room for rejected draws (the noise kernel's, in the run's memory). */
  private readonly wn: Float64Array;
  private readonly fn: Float64Array;
  private readonly kn: Int32Array;
  private readonly pend: Int32Array[];
  /** The noise kernel over the run's memory (null: counterNormals, copied from the kernel's own memory or JavaScript). */
  private readonly noiseOver: CounterFillOver | null;
  /** A cell's half stencil (list build): cell-order ranges and the image shift code of each run. */
  private readonly segLo = new Int32Array(4);
  private readonly segHi = new Int32Array(4);
  private readonly segCode = new Int32Array(4);
  /** The buffer and its layout (the threads' lists live at its end). */
  private readonly buffer: ArrayBufferLike;
  private readonly lay: Layout;
  /** The WebAssembly force loop over the run's memory (null: the JavaScript loops). */
  private readonly wasm: SplitWasm | null;
  /**
   * True when the last force phase gathered the step's displacements x - xPrev (ForcesStep, ForcesStepHeat): every
   * cell-order position's, the rows being every thread's; the combine then reads them there (with the heat).
   */
  private stepGathered = false;

  /**
   * Views of `buffer`; with `memory` (whose buffer it is: splitMemory), the force loop runs in WebAssembly over it
   * (the same numbers).
   */
  constructor(
    readonly config: SplitConfig,
    buffer: ArrayBufferLike,
    memory: WebAssembly.Memory | null = null,
  ) {
    const c = config,
      n = c.n;
    const L = layout(c);
    if (buffer.byteLength < L.bytes) throw new Error("internal: a split run's buffer is too small");
    this.buffer = buffer;
    this.lay = L;
    this.wasm = memory !== null && memory.buffer === buffer && useWasm ? splitInstance(memory) : null;
    [this.nx, this.ny] = gridOf(c);
    this.nc = this.nx * this.ny;
    this.hx = c.box[0] / this.nx;
    this.hy = c.box[1] / this.ny;
    this.skin = splitSkin(c);
    this.half2 = (0.49 * this.skin) ** 2;
    this.chunks = Math.ceil(n / CHUNK);
    this.lists = new Array<RowList | null>(c.threads).fill(null);
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
    this.ref = f64(2 * n);
    this.wrap = f64(2 * n);
    this.mob = f64(n);
    this.sc = f64(n);
    this.accA = f64(2 * n);
    this.accH = f64(2 * n);
    this.energy = f64(this.ny);
    this.maxDisp = f64(c.threads);
    this.maxStep = f64(c.threads);
    this.du = f64(c.heat ? 2 * n : 0);
    this.heatRows = f64(c.heat ? this.ny * S : 0);
    this.heatRun = new Float64Array(S);
    this.chunkSums = f64(c.sums ? this.chunks * c.sums.species * SUMS_PER_SPECIES : 0);
    this.shiftX = f64(6);
    this.shiftY = f64(6);
    this.shares = f64(S * S);
    this.wn = f64(128);
    this.fn = f64(128);
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
    this.offGrid = i32(c.threads);
    this.speciesOf = i32(c.heat || c.sums ? n : 0);
    this.kn = i32(128);
    this.pend = [];
    for (let t = 0; t < c.threads; t++) this.pend.push(i32(L.pendRoom));
    this.noiseOver = this.wasm !== null && memory !== null ? counterFillOver(memory) : null;
  }

  /** The largest squared displacement of any particle since the last sort (the last move phase's, all threads). */
  largestDisplacement2(): number {
    let m = 0;
    for (let t = 0; t < this.maxDisp.length; t++) m = Math.max(m, this.maxDisp[t]);
    return m;
  }

  /**
   * Which loop thread t's forces take (with the lists as they are now): "wasm" (asm/particles/split.ts) when the run
   * has its memory and the thread's list fits in the buffer, else "js".
   */
  forceLoop(t: number): "wasm" | "js" {
    const list = this.lists[t];
    return this.wasm !== null && (list === null || list.home()) ? "wasm" : "js";
  }

  /** The positions of the last sort, by id (unwrapped): a checkpoint's memory of the neighbour lists. */
  sortPositions(): Float64Array {
    return this.ref;
  }

  /** The largest squared step of any particle in the last step (HeunCorrect, EulerMove; with the heat). */
  largestStep2(): number {
    let m = 0;
    for (let t = 0; t < this.maxStep.length; t++) m = Math.max(m, this.maxStep[t]);
    return m;
  }

  /** The step's pair heat per species (per unit time) into out: the rows' sums in order. */
  stepHeat(out: Float64Array): void {
    const S = out.length,
      hr = this.heatRows;
    out.fill(0);
    for (let k = 0; k < this.ny; k++) for (let s = 0; s < S; s++) out[s] += hr[k * S + s];
  }

  /**
   * Adds the last step's trapezoid sums (SplitSumsConfig) into out: per species s, the heat (per unit time) into
   * out[s * stride] and the displacement per axis (per unit time) into out[s * stride + 1 + k]: the chunks' sums in
   * order (the same for every number of threads).
   */
  addSums(out: Float64Array, stride: number): void {
    const S = this.config.sums!.species,
      cs = this.chunkSums;
    for (let c = 0; c < this.chunks; c++)
      for (let sp = 0; sp < S; sp++) {
        const b = (c * S + sp) * SUMS_PER_SPECIES,
          o = sp * stride;
        out[o] += cs[b];
        out[o + 1] += cs[b + 1];
        out[o + 2] += cs[b + 2];
      }
  }

  /** Writes the per-particle constants (once, by the thread that owns the run). */
  setup(): void {
    const c = this.config;
    this.mob.set(c.mobilityDt);
    this.sc.set(c.noiseScale);
    for (let code = 0; code < 6; code++) {
      this.shiftX[code] = ((code % 3) - 1) * c.box[0];
      this.shiftY[code] = code >= 3 ? c.box[1] : 0;
    }
    if (c.heat) this.shares.set(c.heat.share);
    this.wn.set(WN);
    this.fn.set(FN);
    this.kn.set(KN);
    const sp = c.heat ? c.heat.speciesOf : c.sums ? c.sums.speciesOf : null;
    if (sp !== null) this.speciesOf.set(sp);
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
    for (let k = 0; k < this.ny; k++) u += this.energy[k];
    return u;
  }

  run(phase: Phase, t: number): void {
    switch (phase) {
      case Phase.CountX:
        return this.count(this.x, t);
      case Phase.CountXt:
        return this.count(this.xt, t);
      case Phase.CountRef:
        return this.count(this.ref, t);
      case Phase.Scatter:
        return this.scatter(t);
      case Phase.Build:
        return this.build(t);
      case Phase.ForcesX:
        this.stepGathered = false;
        this.gatherRows(this.x, t, false);
        return this.forces(t, false);
      case Phase.ForcesXt:
        this.stepGathered = false;
        this.gatherRows(this.xt, t, false);
        return this.forces(t, false);
      case Phase.ForcesStep:
        this.stepGathered = true;
        this.gatherRows(this.x, t, true);
        return this.forces(t, false);
      case Phase.ForcesStepHeat:
        this.stepGathered = true;
        this.gatherRows(this.x, t, true);
        return this.forces(t, true);
      case Phase.CombineF:
        return this.combine(this.f, t);
      case Phase.EulerMove:
        if (this.wasm !== null) return this.moveWasm(0, t);
        this.euler(t);
        return this.checkEnd(t);
      case Phase.HeunPredict:
        if (this.wasm !== null) return this.moveWasm(1, t);
        this.predict(t);
        return this.check(this.xt, t);
      case Phase.HeunCorrect:
        if (this.wasm !== null) return this.moveWasm(2, t);
        this.correct(t);
        return this.checkEnd(t);
    }
  }

  /** Own ids: the largest squared displacement of `pos` from the last sort into maxDisp[t]. */
  private check(pos: Float64Array, t: number): void {
    const [lo, hi] = this.share(t);
    const ref = this.ref;
    let m = 0;
    for (let i = 2 * lo; i < 2 * hi; i += 2) {
      const ux = pos[i] - ref[i],
        uy = pos[i + 1] - ref[i + 1];
      const d2 = ux * ux + uy * uy;
      if (d2 > m) m = d2;
    }
    this.maxDisp[t] = m;
  }

  /**
   * Own ids at a step's end: the largest squared displacement since the last sort into maxDisp[t]; with the heat, of
   * both ends of the step (its start must be covered by the lists too), the largest squared step into maxStep[t], and
   * the step's midpoint (xPrev + x) / 2 into xt (where a new sort goes).
   */
  private checkEnd(t: number): void {
    if (!this.config.heat) return this.check(this.x, t);
    const [lo, hi] = this.share(t);
    const x = this.x,
      x0 = this.xPrev,
      mid = this.xt,
      ref = this.ref;
    let m = 0,
      ms = 0;
    for (let i = 2 * lo; i < 2 * hi; i += 2) {
      const a0 = x0[i],
        a1 = x[i],
        b0 = x0[i + 1],
        b1 = x[i + 1];
      const ux = a1 - ref[i],
        uy = b1 - ref[i + 1],
        vx = a0 - ref[i],
        vy = b0 - ref[i + 1],
        sx = a1 - a0,
        sy = b1 - b0;
      const d2 = Math.max(ux * ux + uy * uy, vx * vx + vy * vy),
        s2 = sx * sx + sy * sy;
      if (d2 > m) m = d2;
      if (s2 > ms) ms = s2;
      mid[i] = 0.5 * (a0 + a1);
      mid[i + 1] = 0.5 * (b0 + b1);
    }
    this.maxDisp[t] = m;
    this.maxStep[t] = ms;
  }

  /** Noise of own ids [lo, hi): the counter stream's numbers of coordinates 2 lo .. 2 hi at this step, scaled. */
  private noise(lo: number, hi: number, t: number): void {
    this.normals(lo, hi, t);
    const z = this.z,
      sc = this.sc;
    for (let i = lo; i < hi; i++) {
      z[2 * i] *= sc[i];
      z[2 * i + 1] *= sc[i];
    }
  }

  /**
   * The counter stream's normals of thread t's own ids [lo, hi) into z (unscaled): written there by the noise kernel
   * over the run's memory where it runs, else by counterNormals (the same numbers).
   */
  private normals(lo: number, hi: number, t: number): void {
    const ctl = this.ctl;
    const o = this.noiseOver;
    if (o !== null)
      o.fill(
        this.z,
        2 * lo,
        2 * lo,
        2 * (hi - lo),
        ctl[Ctl.Key0],
        ctl[Ctl.Key1],
        ctl[Ctl.StepLo],
        this.wn,
        this.kn,
        this.fn,
        this.pend[t],
      );
    else counterNormals(this.z, 2 * lo, 2 * lo, 2 * (hi - lo), ctl[Ctl.Key0], ctl[Ctl.Key1], ctl[Ctl.StepLo]);
  }

  /** Where the noise is drawn: "wasm" straight into the run's memory, "copied" by counterNormals. */
  noisePath(): "wasm" | "copied" {
    return this.noiseOver !== null ? "wasm" : "copied";
  }

  /**
   * Own ids' move and its check in one pass of WebAssembly (asm/particles/split.ts move: 0 Euler-Maruyama with
   * checkEnd, 1 Heun's predictor with check of xt, 2 its corrector with checkEnd).
   */
  private moveWasm(kind: number, t: number): void {
    const [lo, hi] = this.share(t);
    this.maxDisp[t] = 0;
    this.maxStep[t] = 0;
    // Blocks of MOVE_BLOCK ids, each block's noise drawn just before its move (the numbers still in cache).
    for (let b0 = lo; b0 < hi; b0 += MOVE_BLOCK) {
      const b1 = Math.min(hi, b0 + MOVE_BLOCK);
      if (kind !== 2) this.normals(b0, b1, t);
      this.moveBlock(kind, b0, b1, t);
    }
  }

  private moveBlock(kind: number, lo: number, hi: number, t: number): void {
    this.wasm!.move(
      kind,
      lo,
      hi,
      this.x.byteOffset,
      this.f.byteOffset,
      this.xPrev.byteOffset,
      this.fPrev.byteOffset,
      this.config.keepPrevious ? 1 : 0,
      this.z.byteOffset,
      this.sc.byteOffset,
      this.mob.byteOffset,
      this.xt.byteOffset,
      this.accA.byteOffset,
      this.accH.byteOffset,
      this.posOf.byteOffset,
      this.ref.byteOffset,
      this.config.heat ? 1 : 0,
      this.maxDisp.byteOffset + 8 * t,
      this.maxStep.byteOffset + 8 * t,
    );
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
    this.noise(lo, hi, t);
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
    this.noise(lo, hi, t);
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

  /**
   * The largest |x / L| of the positions at x (or at xt, the predictor's or the midpoint's) over both axes; throws
   * PositionBlowUp where it is not below FAR_BOX_LENGTHS (a coordinate that is not finite or so far out that it wraps
   * to no cell, or to one cell for all: every pair listed, time and memory N^2). One pass of 2N on the calling thread:
   * splitIntegrator calls it only when its bound on the sorted positions reaches half that.
   */
  refuseUnsortable(atXt: boolean): number {
    const pos = atXt ? this.xt : this.x,
      iLx = 1 / this.config.box[0],
      iLy = 1 / this.config.box[1];
    let far = 0;
    for (let i = 0; i < pos.length; i += 2) far = Math.max(far, Math.abs(pos[i] * iLx), Math.abs(pos[i + 1] * iLy));
    if (!(far < FAR_BOX_LENGTHS)) refusePositions(pos, 2, this.config.box);
    return far;
  }

  /** Own ids: wrapped positions of `pos` (kept as the sort's reference), their cells, this thread's counts per cell. */
  private count(pos: Float64Array, t: number): void {
    const [lo, hi] = this.share(t);
    const nc = this.nc,
      nx = this.nx,
      ny = this.ny;
    const counts = this.counts,
      cellOf = this.cellOf,
      w = this.w,
      ref = this.ref;
    const Lx = this.config.box[0],
      Ly = this.config.box[1],
      ihx = 1 / this.hx,
      ihy = 1 / this.hy;
    const base = t * nc;
    const wasm = this.wasm;
    if (wasm !== null) {
      const off = wasm.count(
        lo,
        hi,
        pos.byteOffset,
        w.byteOffset,
        ref.byteOffset,
        cellOf.byteOffset,
        counts.byteOffset + 4 * base,
        nx,
        ny,
        Lx,
        Ly,
        ihx,
        ihy,
      );
      if (off === 0) {
        this.offGrid[t] = 0;
        return;
      }
      // A position off the grid: this loop's handling of it (the same as without WebAssembly).
    }
    // The scatter follows in JavaScript too (it takes the cells as this loop leaves them).
    this.offGrid[t] = 1;
    counts.fill(0, base, base + nc);
    for (let i = lo; i < hi; i++) {
      const ox = pos[2 * i],
        oy = pos[2 * i + 1];
      const px = ox - Lx * Math.floor(ox / Lx),
        py = oy - Ly * Math.floor(oy / Ly);
      let cx = Math.floor(px * ihx),
        cy = Math.floor(py * ihy);
      // A position a rounding below 0 wraps to L itself: the last cell. A coordinate many boxes out whose x / L
      // rounds up to the next integer wraps to a rounding below 0: the first cell (not the row below's last).
      if (cx >= nx) cx = nx - 1;
      else if (cx < 0) cx = 0;
      if (cy >= ny) cy = ny - 1;
      else if (cy < 0) cy = 0;
      const cell = cy * nx + cx;
      w[2 * i] = px;
      w[2 * i + 1] = py;
      ref[2 * i] = ox;
      ref[2 * i + 1] = oy;
      cellOf[i] = cell;
      counts[base + cell]++;
    }
  }

  /**
   * Cell starts (thread 0 writes them; every thread computes them) and own ids scattered, increasing within a cell,
   * with their wrapped positions (for the list's build), their wraps (reference less wrapped position), species.
   */
  private scatter(t: number): void {
    const T = this.config.threads,
      nc = this.nc;
    const counts = this.counts,
      cursors = this.cursors,
      start = this.start;
    const wasm = this.wasm;
    if (wasm !== null && this.offGrid.every((v) => v === 0)) {
      const [lo, hi] = this.share(t),
        heat = this.config.heat !== null && this.config.heat !== undefined;
      return wasm.scatter(
        t,
        T,
        nc,
        counts.byteOffset,
        cursors.byteOffset,
        start.byteOffset,
        lo,
        hi,
        this.cellOf.byteOffset,
        this.ids.byteOffset,
        this.posOf.byteOffset,
        this.w.byteOffset,
        this.ref.byteOffset,
        this.wrap.byteOffset,
        this.sorted.byteOffset,
        heat ? this.speciesOf.byteOffset : 0,
        heat ? this.spSorted.byteOffset : 0,
      );
    }
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
      ref = this.ref,
      wrap = this.wrap,
      s = this.sorted;
    const heat = this.config.heat,
      sp = this.spSorted;
    for (let i = lo; i < hi; i++) {
      const q = cursors[mine + cellOf[i]]++;
      ids[q] = i;
      posOf[i] = q;
      const a = 2 * i,
        b = 2 * q;
      s[b] = w[a];
      s[b + 1] = w[a + 1];
      wrap[b] = ref[a] - w[a];
      wrap[b + 1] = ref[a + 1] - w[a + 1];
      if (heat) sp[q] = heat.speciesOf[i];
    }
  }

  /**
   * The cell-order positions of thread t's rows and of the row above (which its forces read; its own thread gathers
   * the same numbers): pos at each id less the last sort's wrap; with `step`, the displacements x - xPrev.
   */
  private gatherRows(pos: Float64Array, t: number, step: boolean): void {
    const [r0, r1] = this.rows(t);
    const nx = this.nx,
      start = this.start,
      up = (r1 === this.ny ? 0 : r1) * nx;
    const w = this.wasm;
    if (w !== null) {
      const ids = this.ids.byteOffset,
        p = pos.byteOffset,
        wr = this.wrap.byteOffset,
        s = this.sorted.byteOffset,
        x0 = step ? this.xPrev.byteOffset : 0,
        du = step ? this.du.byteOffset : 0;
      w.gather(ids, p, wr, s, x0, du, start[r0 * nx], start[r1 * nx]);
      w.gather(ids, p, wr, s, x0, du, start[up], start[up + nx]);
      return;
    }
    this.gather(pos, start[r0 * nx], start[r1 * nx], step);
    this.gather(pos, start[up], start[up + nx], step);
  }

  /** Cell-order positions [lo, hi): pos at each id less the last sort's wrap; with `step`, the displacements. */
  private gather(pos: Float64Array, lo: number, hi: number, step: boolean): void {
    const ids = this.ids,
      wrap = this.wrap,
      s = this.sorted;
    if (step) {
      const x0 = this.xPrev,
        du = this.du;
      for (let q = lo; q < hi; q++) {
        const a = 2 * ids[q],
          b = 2 * q;
        const px = pos[a],
          py = pos[a + 1];
        s[b] = px - wrap[b];
        s[b + 1] = py - wrap[b + 1];
        du[b] = px - x0[a];
        du[b + 1] = py - x0[a + 1];
      }
      return;
    }
    for (let q = lo; q < hi; q++) {
      const a = 2 * ids[q],
        b = 2 * q;
      s[b] = pos[a] - wrap[b];
      s[b + 1] = pos[a + 1] - wrap[b + 1];
    }
  }

  /** Thread t's band of cell rows: [r0, r1). */
  private rows(t: number): [number, number] {
    const T = this.config.threads,
      ny = this.ny;
    return [Math.floor((t * ny) / T), Math.floor(((t + 1) * ny) / T)];
  }

  /**
   * Thread t's list (own rows) at the sorted positions: for each particle q, the pairs of the half stencil of its
   * cell closer than range + skin: the rest of its own cell and the cell to its right (the same row, one run of
   * consecutive cell-order positions unless the row wraps), then the three cells of the row above (one run unless it
   * wraps), each run in increasing position; the same for every number of threads.
   */
  private build(t: number): void {
    let list = this.lists[t];
    if (list === null) {
      const L = this.lay,
        at = L.bytes - (this.config.threads - t) * L.listBytes;
      list = this.lists[t] = new RowList(this.config.n, this.buffer, at, L.cap);
    }
    list.reset();
    const [r0, r1] = this.rows(t);
    if (this.wasm !== null) {
      const reach = this.config.range + this.skin;
      const np = this.wasm.build(
        r0,
        r1,
        this.nx,
        this.ny,
        this.start.byteOffset,
        this.sorted.byteOffset,
        this.shiftX.byteOffset,
        this.shiftY.byteOffset,
        list.partner.byteOffset,
        list.code.byteOffset,
        list.mid.byteOffset,
        list.end.byteOffset,
        list.partner.length,
        reach * reach,
      );
      if (np >= 0) return;
      // More pairs than the buffer holds: the JavaScript build (the same list) into arrays of the list's own.
    }
    const nx = this.nx,
      ny = this.ny,
      start = this.start,
      s = this.sorted,
      sxT = this.shiftX,
      syT = this.shiftY,
      segLo = this.segLo,
      segHi = this.segHi,
      segCode = this.segCode,
      mid = list.mid,
      end = list.end;
    const reach = this.config.range + this.skin,
      reach2 = reach * reach;
    let partner = list.partner,
      code = list.code,
      cap = partner.length,
      np = 0;
    for (let r = r0; r < r1; r++) {
      const row = r * nx;
      let up = r + 1,
        cy = 0; // the y shift code of the row above: 1 when it is row 0's image, one box up
      if (up === ny) {
        up = 0;
        cy = 1;
      }
      const urow = up * nx;
      for (let cx = 0; cx < nx; cx++) {
        const c = row + cx,
          cEnd = start[c + 1];
        // Runs: 0 the rest of the cell and the right cell when contiguous; 1 the right cell across the wrap; 2, 3 the
        // row above (codes: x shift index (0: -Lx, 1: 0, 2: +Lx) + 3 y shift index).
        let nseg = 0;
        if (cx === nx - 1) {
          segHi[0] = cEnd;
          segCode[0] = 1;
          segLo[1] = start[row];
          segHi[1] = start[row + 1];
          segCode[1] = 0; // the partner's image one box right: x_q - (x_p + Lx)
          nseg = 2;
        } else {
          segHi[0] = start[c + 2];
          segCode[0] = 1;
          nseg = 1;
        }
        const aStart = nseg;
        if (cx === 0) {
          segLo[nseg] = start[urow + nx - 1];
          segHi[nseg] = start[urow + nx];
          segCode[nseg++] = 2 + 3 * cy; // the partner's image one box left
          segLo[nseg] = start[urow];
          segHi[nseg] = start[urow + 2];
          segCode[nseg++] = 1 + 3 * cy;
        } else if (cx === nx - 1) {
          segLo[nseg] = start[urow + cx - 1];
          segHi[nseg] = start[urow + nx];
          segCode[nseg++] = 1 + 3 * cy;
          segLo[nseg] = start[urow];
          segHi[nseg] = start[urow + 1];
          segCode[nseg++] = 3 * cy; // one box right
        } else {
          segLo[nseg] = start[urow + cx - 1];
          segHi[nseg] = start[urow + cx + 2];
          segCode[nseg++] = 1 + 3 * cy;
        }
        for (let q = start[c]; q < cEnd; q++) {
          const xi = s[2 * q],
            yi = s[2 * q + 1];
          segLo[0] = q + 1;
          for (let g = 0; g < nseg; g++) {
            if (g === aStart) mid[q] = np;
            const cd = segCode[g],
              hi = segHi[g],
              bx = xi + sxT[cd],
              by = yi - syT[cd];
            // Room for the whole run before it (no check per pair).
            if (np + (hi - segLo[g]) > cap) {
              list.partner = partner;
              list.code = code;
              while (np + (hi - segLo[g]) > list.partner.length) list.grow();
              partner = list.partner;
              code = list.code;
              cap = partner.length;
            }
            for (let p = segLo[g]; p < hi; p++) {
              const ddx = bx - s[2 * p],
                ddy = by - s[2 * p + 1];
              partner[np] = p;
              code[np] = cd;
              np += +(ddx * ddx + ddy * ddy < reach2);
            }
          }
          end[q] = np;
        }
      }
    }
    list.partner = partner;
    list.code = code;
  }

  /**
   * The pair forces of own rows of cells over the thread's list, each pair once (Newton's third law): forces on
   * particles of the same row accumulate in A, forces on the row above in H (cell order): every row's sums are made by
   * one thread in a fixed order, and combine() adds A + H, so the numbers do not depend on the number of threads. The
   * energy of each pair (and with `heat` the step's pair heat per species) is summed per row, then the rows in order.
   * With `heat` (a step's end, SplitHeatConfig): also each pair closer than the range at either end of the step (the
   * start's separation is the end's less the pair's relative displacement) gives its two particles their shares of
   * the pair's exact energy change less its trapezoid heat (per unit time).
   */
  private forces(t: number, heat: boolean): void {
    const list = this.lists[t]!;
    const [r0, r1] = this.rows(t);
    if (this.wasm !== null && list.home()) return this.forcesWasm(list, r0, r1, heat);
    const nx = this.nx,
      ny = this.ny;
    const l = this.config.range,
      l2 = l * l,
      il = 1 / l,
      k = this.config.stiffness,
      kl = k * il;
    const s = this.sorted,
      start = this.start,
      A = this.accA,
      H = this.accH,
      en = this.energy,
      sxT = this.shiftX,
      syT = this.shiftY,
      partner = list.partner,
      code = list.code,
      mid = list.mid,
      end = list.end;
    const du = this.du,
      sp = this.spSorted,
      hcfg = this.config.heat,
      S = hcfg ? hcfg.species : 0,
      share = hcfg ? hcfg.share : null,
      invDt = hcfg ? hcfg.invDt : 0,
      hrows = this.heatRows,
      hr = this.heatRun;
    let j = 0; // the thread's list holds its own rows' pairs only, in cell order
    for (let r = r0; r < r1; r++) {
      const row = r * nx,
        up = r + 1 === ny ? 0 : r + 1,
        urow = up * nx;
      const q0 = start[row],
        q1 = start[row + nx];
      A.fill(0, 2 * q0, 2 * q1);
      H.fill(0, 2 * start[urow], 2 * start[urow + nx]);
      if (heat) hr.fill(0);
      let e = 0;
      for (let q = q0; q < q1; q++) {
        const xi = s[2 * q],
          yi = s[2 * q + 1];
        let fx = 0,
          fy = 0;
        const m = mid[q],
          jEnd = end[q];
        if (!heat) {
          for (; j < jEnd; j++) {
            const p = partner[j],
              cd = code[j];
            const ddx = xi + sxT[cd] - s[2 * p],
              ddy = yi - syT[cd] - s[2 * p + 1];
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
                const acc = j < m ? A : H;
                acc[2 * p] -= ax;
                acc[2 * p + 1] -= ay;
              }
              e += u * u;
            }
          }
        } else {
          // The same forces and energy, and the heat.
          const uxi = du[2 * q],
            uyi = du[2 * q + 1],
            si = sp[q],
            srow = si * S;
          for (; j < jEnd; j++) {
            const p = partner[j],
              cd = code[j];
            const ddx = xi + sxT[cd] - s[2 * p],
              ddy = yi - syT[cd] - s[2 * p + 1];
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
                const acc = j < m ? A : H;
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
      en[r] = 0.5 * k * e;
      if (heat) for (let sIdx = 0; sIdx < S; sIdx++) hrows[r * S + sIdx] = hr[sIdx];
    }
  }

  /** forces() in WebAssembly (asm/particles/split.ts: the same arithmetic in the same order), the list in the buffer. */
  private forcesWasm(list: RowList, r0: number, r1: number, heat: boolean): void {
    const c = this.config,
      l = c.range,
      il = 1 / l,
      k = c.stiffness,
      h = heat ? c.heat! : null;
    this.wasm!.forces(
      r0,
      r1,
      this.nx,
      this.ny,
      list.partner.byteOffset,
      list.code.byteOffset,
      list.mid.byteOffset,
      list.end.byteOffset,
      this.sorted.byteOffset,
      this.start.byteOffset,
      this.accA.byteOffset,
      this.accH.byteOffset,
      this.energy.byteOffset,
      this.shiftX.byteOffset,
      this.shiftY.byteOffset,
      k,
      l * l,
      il,
      k * il,
      h ? this.du.byteOffset : 0,
      h ? this.spSorted.byteOffset : 0,
      h ? h.species : 0,
      h ? this.shares.byteOffset : 0,
      h ? h.invDt : 0,
      h ? this.heatRows.byteOffset : 0,
    );
  }

  /** Own cell-order positions (the id share's range): the forces A + H into out at each particle's id. */
  private combine(out: Float64Array, t: number): void {
    const [lo, hi] = this.share(t);
    const A = this.accA,
      H = this.accH,
      ids = this.ids;
    const wasm = this.wasm,
      sums = this.config.sums;
    if (wasm !== null)
      return wasm.combine(
        lo,
        hi,
        out.byteOffset,
        A.byteOffset,
        H.byteOffset,
        ids.byteOffset,
        this.x.byteOffset,
        this.xPrev.byteOffset,
        this.fPrev.byteOffset,
        sums ? this.chunkSums.byteOffset : 0,
        sums ? sums.species : 0,
        this.speciesOf.byteOffset,
        sums ? sums.invDt : 0,
        CHUNK,
        sums && this.stepGathered && this.du.length > 0 ? this.du.byteOffset : 0,
        this.spSorted.byteOffset,
      );
    if (sums) return this.combineSums(out, lo, hi);
    for (let q = lo; q < hi; q++) {
      const i = ids[q];
      out[2 * i] = A[2 * q] + H[2 * q];
      out[2 * i + 1] = A[2 * q + 1] + H[2 * q + 1];
    }
  }

  /**
   * combine()'s work, and per chunk of CHUNK cell-order positions the probe's trapezoid sums of the step that ends at x
   * (with xPrev, fPrev its start): per species, the heat -(f(x0) + f(x)) / 2 . dx / dt and the displacement dx / dt,
   * each particle's terms as the probe's pass writes them (particleProbe.ts, trapezoidPass), summed in cell order.
   */
  private combineSums(out: Float64Array, lo: number, hi: number): void {
    const A = this.accA,
      H = this.accH,
      ids = this.ids,
      x = this.x,
      x0 = this.xPrev,
      f0 = this.fPrev,
      cs = this.chunkSums,
      cfg = this.config.sums!,
      S = cfg.species,
      sp = cfg.speciesOf,
      invDt = cfg.invDt;
    for (let c0 = lo; c0 < hi; c0 += CHUNK) {
      const base = (c0 / CHUNK) * S * SUMS_PER_SPECIES,
        c1 = Math.min(hi, c0 + CHUNK);
      cs.fill(0, base, base + S * SUMS_PER_SPECIES);
      for (let q = c0; q < c1; q++) {
        const i = ids[q],
          a = 2 * i;
        const fx = A[2 * q] + H[2 * q],
          fy = A[2 * q + 1] + H[2 * q + 1];
        out[a] = fx;
        out[a + 1] = fy;
        const o = base + sp[i] * SUMS_PER_SPECIES;
        const dx = (x[a] - x0[a]) * invDt,
          dy = (x[a + 1] - x0[a + 1]) * invDt;
        cs[o] -= 0.5 * (f0[a] + fx) * dx;
        cs[o + 1] += dx;
        cs[o] -= 0.5 * (f0[a + 1] + fy) * dy;
        cs[o + 2] += dy;
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
  const bytes = splitBytes(config),
    memory = splitMemory(bytes, false);
  const kernel = new SplitKernel(config, memory !== null ? memory.buffer : new ArrayBuffer(bytes), memory);
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
 * probe when it wants the exact pair heat and the box leaves room for a skin; the split integrator fills it.
 */
export class SplitStepHeat {
  /** Per species: the last step's pair-heat correction per unit time. */
  readonly out: Float64Array;
  /** The least skin of the lists for the step heat (0: not enabled). */
  margin = 0;
  private diffusivity: Float64Array;
  private fresh = false;
  /** The probe takes the trapezoid sums from the threads (enableTrapezoidSums); the kernel that makes them. */
  private sumsWanted = false;
  private kernel: SplitKernel | null = null;
  private sumsFresh = false;

  constructor(private readonly model: ParticlesModel) {
    this.out = new Float64Array(model.species.length);
    this.diffusivity = new Float64Array(model.species.length);
  }

  /**
   * Asks for the step heat (the probe: diffusivities T/gamma per species, the time step); true when the split takes
   * it. The margin is the default engine's least skin for it (ParticleForceField.enableStepHeat), at most one range
   * and what three cells per axis leave; the lists' skin is chosen from there (splitListSkin).
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

  /**
   * The probe asks for each step's trapezoid sums from the threads (SplitSumsConfig): the split makes them where its
   * kernel keeps the previous step (splitConfig's keepPrevious); addTrapezoidSums says step by step.
   */
  enableTrapezoidSums(): void {
    this.sumsWanted = true;
  }

  /** The sums config of the kernel (null when not asked for). */
  sumsConfig(dt: number): SplitSumsConfig | null {
    if (!this.sumsWanted) return null;
    return { species: this.model.species.length, speciesOf: Int32Array.from(this.model.speciesOf), invDt: 1 / dt };
  }

  /** The kernel whose sums are taken and whether they are the last step's (the split integrator). */
  setSums(kernel: SplitKernel, fresh: boolean): void {
    this.kernel = kernel;
    this.sumsFresh = fresh;
  }

  /**
   * Adds the last step's trapezoid sums into out (per species s: the heat into out[s * stride], the displacements per
   * unit time into out[s * stride + 1 + k]) and returns true, or returns false when there are none (the probe's pass
   * then). Consumes them.
   */
  addTrapezoidSums(out: Float64Array, stride: number): boolean {
    if (!this.sumsFresh || this.kernel === null) return false;
    this.sumsFresh = false;
    this.kernel.addSums(out, stride);
    return true;
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
  const heatConfig = keepPrevious && heat !== null ? heat.config(dt) : null;
  const sumsConfig = keepPrevious && heat !== null ? heat.sumsConfig(dt) : null;
  return {
    n: sp.length,
    threads,
    box: [model.box![0], model.box![1]],
    stiffness: pair.stiffness,
    range: pair.range,
    skin: splitListSkin(model, dt, heatConfig),
    mobilityDt: Float64Array.from(sp, (s) => dt / model.species[s].friction),
    noiseScale: Float64Array.from(sp, (s) =>
      Math.sqrt((2 * model.species[s].temperature * dt) / model.species[s].friction),
    ),
    keepPrevious,
    heat: heatConfig,
    sums: sumsConfig,
  };
}

/**
 * The skin of a split run's neighbour lists: verletSkin's choice (particleForces.ts, the default engine's cost model
 * for the hot/cold disks' flat list: a sort every few steps where that pays) between the least skin (the step heat's
 * margin, else 0.3 range) and two ranges, within three cells per axis. Deterministic: a function of the model and dt.
 */
function splitListSkin(model: ParticlesModel, dt: number, heat: SplitHeatConfig | null): number {
  const range = (model.pairs[0].pair as { range: number }).range,
    [Lx, Ly] = model.box!,
    N = model.speciesOf.length;
  const most = Math.max(0, Math.min(2 * range, 0.999 * (Math.min(Lx, Ly) / 3 - range)));
  const least = Math.min(heat ? heat.margin : 0.3 * range, most);
  let sigma = 0;
  for (const s of model.species)
    if (s.count > 0) sigma = Math.max(sigma, Math.sqrt((2 * s.temperature * dt) / s.friction));
  if (!(sigma > 0 && Number.isFinite(sigma))) return least;
  const fits = (s: number) => Math.min(Lx, Ly) >= 3 * (range + s);
  return verletSkin(least, most, range, N / (Lx * Ly), sigma, N, fits);
}

/** A sort at x, or at xt (Heun's predictor, or a step's midpoint): the count, the scatter, the lists. */
const SORT_X: readonly Phase[] = [Phase.CountX, Phase.Scatter, Phase.Build];
const SORT_XT: readonly Phase[] = [Phase.CountXt, Phase.Scatter, Phase.Build];
const SORT_REF: readonly Phase[] = [Phase.CountRef, Phase.Scatter, Phase.Build];
/** The phases of a force evaluation at x with a new sort. */
export const FORCE_PHASES: readonly Phase[] = [...SORT_X, Phase.ForcesX, Phase.CombineF];
const PREDICT: readonly Phase[] = [Phase.HeunPredict];
const EULER: readonly Phase[] = [Phase.EulerMove];
const PREDICTOR_FORCES: readonly Phase[] = [Phase.ForcesXt, Phase.HeunCorrect];
const END_PLAIN: readonly Phase[] = [Phase.ForcesX, Phase.CombineF];
const END_STEP: readonly Phase[] = [Phase.ForcesStep, Phase.CombineF];
const END_HEAT: readonly Phase[] = [Phase.ForcesStepHeat, Phase.CombineF];

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
  const withHeat = config.heat !== null && config.heat !== undefined;
  // A sort at the midpoint covers both ends of a step while no particle moved more than the skin (0.98: rounding).
  const midpointCovers2 = (0.98 * k.skin) ** 2;
  let taken = false;
  // False until the first sort (and after a reset, or a restart from a checkpoint that holds no sort).
  let sorted = false;
  const due = () => !sorted || k.largestDisplacement2() > k.half2;
  // A bound on |x / L| of the sorted positions (box lengths): the last full pass plus every displacement since (the
  // skin rule's largest displacement from the last sort, at each sort). Positions are checked in full (and refused
  // beyond FAR_BOX_LENGTHS) only when the bound reaches half that: never in a run that does not blow up.
  const minL = Math.min(config.box[0], config.box[1]);
  let far = Infinity;
  const sortable = (atXt: boolean) => {
    if (sorted) far += Math.sqrt(k.largestDisplacement2()) / minL;
    else far = Infinity;
    if (!(far < 0.5 * FAR_BOX_LENGTHS)) far = k.refuseUnsortable(atXt);
  };
  const withSums = config.sums !== null && config.sums !== undefined;
  const force = (st: LangevinState) => {
    far = k.refuseUnsortable(false);
    exec.run(FORCE_PHASES);
    sorted = true;
    st.potential = k.potential();
    if (heat !== null) heat.setSums(k, false);
  };
  const step = (st: LangevinState) => {
    const rng = st.rng;
    if (!(rng instanceof CounterRng)) throw new Error("internal: a split run draws counter-based noise");
    k.ctl[Ctl.Key0] = rng.stepKey0();
    k.ctl[Ctl.Key1] = rng.stepKey1();
    k.ctl[Ctl.StepLo] = rng.state[2];
    const account = withHeat && st.accountStep !== false;
    if (heun) {
      exec.run(PREDICT);
      if (due()) {
        sortable(true);
        exec.run(SORT_XT);
      }
      sorted = true;
      exec.run(PREDICTOR_FORCES);
    } else exec.run(EULER);
    // The step's end (with the heat: both ends) against the last sort; a new sort at the midpoint when it covers both
    // ends (with the heat), else at the end (the step then goes to the probe's ledger).
    let covered = true;
    if (due()) {
      if (withHeat && sorted && k.largestStep2() <= midpointCovers2) {
        sortable(true);
        exec.run(SORT_XT);
      } else {
        sortable(false);
        exec.run(SORT_X);
        covered = false;
      }
      sorted = true;
    }
    const accounted = account && covered;
    exec.run(withHeat ? (accounted ? END_HEAT : END_STEP) : END_PLAIN);
    rng.skip();
    st.potential = k.potential();
    if (heat !== null) {
      if (accounted) k.stepHeat(heat.out);
      heat.set(accounted);
      heat.setSums(k, withSums);
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
    // The neighbour lists' memory for checkpoints: the positions of the last sort, from which a restart sorts and
    // lists again to the same bits.
    saveState() {
      if (!sorted) return new Float64Array(0);
      const ref = k.sortPositions(),
        out = new Float64Array(1 + ref.length);
      out[0] = 1;
      out.set(ref, 1);
      return out;
    },
    restoreState(state: Float64Array) {
      far = Infinity; // the next sort checks the positions in full
      if (state.length === 0) {
        sorted = false;
        return;
      }
      if (state.length !== 1 + 2 * config.n) throw new Error("internal: a split run's saved sort of another size");
      k.sortPositions().set(state.subarray(1));
      exec.run(SORT_REF);
      sorted = true;
    },
  };
}
