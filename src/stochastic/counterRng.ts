/**
 * Counter-based Gaussian noise: the normal number of coordinate `c` at step `s` of replica `r` under seed `seed` is a
 * pure function of (seed, r, s, c), so it does not depend on the order in which coordinates are processed, on how
 * they are split between threads, or on how the integrator stores them (cell order or particle order).
 *
 * Generator: Threefry-2x32 with 20 rounds (Salmon, Moraes, Dror and Shaw, "Parallel random numbers: as easy as 1, 2,
 * 3", SC11, 2011; the Random123 default; 13 rounds already pass TestU01's BigCrush), keyed by a hash of (seed, replica,
 * substream) and, from step 2^32 on, the step's high word; the counter is (c >>> 1, step's low word). One call gives
 * two 32-bit words, the draws of coordinates 2m and 2m + 1 (in 2D: the two components of particle m). Each word goes
 * through the same 128-layer ziggurat as rng.ts (layer, sign and abscissa from disjoint bits); a draw the fast path
 * rejects (1.2%) is completed with words of further calls under keys of their own (attempt 1, 2, ...) at the same
 * counter, so it too depends on (seed, r, s, c) alone.
 *
 * Fills run the WebAssembly SIMD kernel of asm/particles/noise.ts (four counters per i32x4; the same numbers to the
 * bit as the JavaScript loop, counterNormalsJs, which runs where WebAssembly SIMD is missing or the engine refuses
 * the kernel a memory for a fill (asked once, not at every step): about 2x faster. The kernel completes the draws its
 * fast path rejects too, with the JavaScript generator's words, logic and exp and log (imported).
 *
 * The stream differs from the default xoshiro128** stream of rng.ts (same statistics, other numbers): runs choose it
 * with SimulationOptions.noise = "counter" (`ness simulate --noise counter`); a run split across threads uses it.
 */
import { ModelError } from "../errors.js";
import { instanceWithMemory, lazyWasmModule } from "../linalg/wasm/lazyModule.js";
import { COUNTER_NOISE_SHARED_WASM_BASE64, COUNTER_NOISE_WASM_BASE64 } from "./counterNoiseWasm.js";
import { exp, log } from "../special/elementary.js";
import { KN, Rng, WN, counterKey, slowNormalFrom } from "./rng.js";
import { FN } from "./zigguratTables.js";

/** The two output words of the last threefry() call (scratch: no allocation). */
const OUT = new Int32Array(2);

// The 20 rounds are written out (rotations 13, 15, 26, 6, 17, 29, 16, 24 of Random123's Threefry-2x32, a key
// injection after every fourth round, k2 = 0x1bd11bda ^ k0 ^ k1): a loop over a table of rotations was 2x slower.

/**
 * Threefry-2x32-20 of counter (c0, c1) under key (k0, k1); the two words are left in OUT[0], OUT[1]. Known-answer
 * tested against Random123's kat_vectors (threefryWords).
 */
function threefry(c0: number, c1: number, k0: number, k1: number): void {
  const k2 = 0x1bd11bda ^ k0 ^ k1;
  let x0 = (c0 + k0) | 0,
    x1 = (c1 + k1) | 0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 13) | (x1 >>> 19)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 15) | (x1 >>> 17)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 26) | (x1 >>> 6)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 6) | (x1 >>> 26)) ^ x0;
  x0 = (x0 + k1) | 0; // key injection 1
  x1 = (x1 + k2 + 1) | 0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 17) | (x1 >>> 15)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 29) | (x1 >>> 3)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 16) | (x1 >>> 16)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 24) | (x1 >>> 8)) ^ x0;
  x0 = (x0 + k2) | 0; // key injection 2
  x1 = (x1 + k0 + 2) | 0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 13) | (x1 >>> 19)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 15) | (x1 >>> 17)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 26) | (x1 >>> 6)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 6) | (x1 >>> 26)) ^ x0;
  x0 = (x0 + k0) | 0; // key injection 3
  x1 = (x1 + k1 + 3) | 0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 17) | (x1 >>> 15)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 29) | (x1 >>> 3)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 16) | (x1 >>> 16)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 24) | (x1 >>> 8)) ^ x0;
  x0 = (x0 + k1) | 0; // key injection 4
  x1 = (x1 + k2 + 4) | 0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 13) | (x1 >>> 19)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 15) | (x1 >>> 17)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 26) | (x1 >>> 6)) ^ x0;
  x0 = (x0 + x1) | 0;
  x1 = ((x1 << 6) | (x1 >>> 26)) ^ x0;
  x0 = (x0 + k2) | 0; // key injection 5
  x1 = (x1 + k0 + 5) | 0;
  OUT[0] = x0;
  OUT[1] = x1;
}

/** Threefry-2x32-20 of counter (c0, c1) under key (k0, k1), as two unsigned words (tests, known answers). */
export function threefryWords(c0: number, c1: number, k0: number, k1: number): [number, number] {
  threefry(c0 | 0, c1 | 0, k0 | 0, k1 | 0);
  return [OUT[0] >>> 0, OUT[1] >>> 0];
}

/** The key of a rejected draw's attempt `a` (1, 2, ...): the step's key with its first word salted. */
function attemptKey(k0: number, a: number): number {
  return (k0 ^ Math.imul(a, 0x9e3779b9)) | 0;
}

/** Completes a rejected fast-path draw of coordinate c: words from further calls at the same counter. */
class AttemptWords {
  c0 = 0;
  c1 = 0;
  k0 = 0;
  k1 = 0;
  private attempt = 0;
  private have = 0;
  private w1 = 0;
  reset(c0: number, c1: number, k0: number, k1: number): void {
    this.c0 = c0;
    this.c1 = c1;
    this.k0 = k0;
    this.k1 = k1;
    this.attempt = 0;
    this.have = 0;
  }
  /** The next unsigned 32-bit word of this draw's completion. */
  next(): number {
    if (this.have === 1) {
      this.have = 0;
      return this.w1;
    }
    this.attempt++;
    threefry(this.c0, this.c1, attemptKey(this.k0, this.attempt), this.k1);
    this.w1 = OUT[1] >>> 0;
    this.have = 1;
    return OUT[0] >>> 0;
  }
}
const ATTEMPT = new AttemptWords();
const nextAttemptWord = () => ATTEMPT.next();

/** The normal number of fast-path word u, or of its completion when the fast path rejects it. */
function wordNormal(u: number, c0: number, c1: number, k0: number, k1: number): number {
  const i = u & 127;
  const j = u >>> 8;
  const x = j * WN[i] * (1 - ((u >>> 6) & 2));
  if (j < KN[i]) return x;
  // Attempts run at counter (coordinate, step) under salted keys: the two words of one call complete apart.
  ATTEMPT.reset(c0, c1, k0, k1);
  return slowNormalFrom(i, j, u & 128, nextAttemptWord);
}

/** The SIMD kernel's exports (asm/particles/noise.ts; addresses are byte offsets into `memory`). */
interface NoiseExports {
  memory: WebAssembly.Memory;
  counterFill(
    out: number,
    first: number,
    count: number,
    k0: number,
    k1: number,
    stepLo: number,
    wn: number,
    kn: number,
    fn: number,
    pend: number,
  ): number;
}

/** The kernel's imports besides its memory: the completion's exp and log (the generator's own, bit for bit). */
const NOISE_IMPORTS = { exp, log };

/** The compiled module, or null where WebAssembly SIMD is missing or refuses it (lazyModule.ts). */
const noiseModule = lazyWasmModule(COUNTER_NOISE_WASM_BASE64);

/** Byte offsets of the ziggurat's tables and of the output (the rejected draws' indices follow it). */
const O_WN = 1024,
  O_KN = O_WN + 8 * 128,
  O_FN = O_KN + 4 * 128,
  O_OUT = 4096;

/**
 * This thread's instance of the noise kernel (each worker thread makes its own): its memory holds the ziggurat's
 * tables, one fill's numbers and the indices of its rejected draws. A fill that needs more room gets a new memory
 * and instance (instanceWithMemory: never Memory.grow, which would detach a buffer).
 */
class NoiseKernel {
  private x: NoiseExports | null = null;
  private cap = 0;
  private oPend = 0;
  private out = new Float64Array(0);
  /** The first `viewCount` numbers of out (kept: a run fills the same count at every step). */
  private view = new Float64Array(0);
  private viewCount = -1;
  /**
   * The smallest count whose memory the engine refused: fills of it or more run the JavaScript loop (the same
   * numbers) without asking again at every step.
   */
  private refused = Infinity;
  constructor(private readonly module: WebAssembly.Module) {}
  /** Room for `count` numbers (and count + 1 indices); null when the memory cannot be had. */
  private reserve(count: number): NoiseExports | null {
    if (this.x !== null && count <= this.cap) return this.x;
    if (count >= this.refused) return null;
    // Room for c numbers and c + 1 indices after them; null where the engine refuses the memory.
    const room = (c: number) => {
      try {
        return instanceWithMemory(this.module, O_OUT + 8 * c + 4 * (c + 1), null, NOISE_IMPORTS);
      } catch {
        return null;
      }
    };
    // Twice the old room (fills of a run alternate between few sizes), or where that is refused, `count`'s.
    let cap = Math.max(count, 2 * this.cap);
    let made = room(cap);
    if (made === null && cap > count) made = room((cap = count));
    if (made === null) {
      this.refused = count;
      return null;
    }
    const oPend = O_OUT + 8 * cap;
    const { instance, memory } = made;
    const x = instance.exports as unknown as NoiseExports;
    new Float64Array(memory.buffer, O_WN, 128).set(WN);
    new Int32Array(memory.buffer, O_KN, 128).set(KN);
    new Float64Array(memory.buffer, O_FN, 128).set(FN);
    this.x = x;
    this.cap = cap;
    this.oPend = oPend;
    this.out = new Float64Array(memory.buffer, O_OUT, cap);
    this.viewCount = -1;
    return x;
  }
  /** counterNormalsJs of an even first coordinate and an even count, through the kernel; false when it cannot. */
  fill(
    out: Float64Array,
    offset: number,
    first: number,
    count: number,
    k0: number,
    k1: number,
    stepLo: number,
  ): boolean {
    const x = this.reserve(count);
    if (x === null) return false;
    x.counterFill(O_OUT, first, count, k0, k1, stepLo, O_WN, O_KN, O_FN, this.oPend);
    const v = this.out;
    if (count !== this.viewCount) {
      this.view = v.subarray(0, count);
      this.viewCount = count;
    }
    out.set(this.view, offset);
    return true;
  }
}

/** undefined before the first fill; null where the kernel cannot run (the JavaScript loop then does). */
let kernel: NoiseKernel | null | undefined;

function noiseKernel(): NoiseKernel | null {
  if (kernel !== undefined) return kernel;
  const m = noiseModule();
  if (m === null) return null; // (a browser's main thread may still be compiling it: asked again next fill)
  kernel = new NoiseKernel(m);
  return kernel;
}

/** True when fills run the SIMD kernel here (WebAssembly SIMD present and compiled), false when JavaScript does. */
export function counterNoiseKernel(): boolean {
  return noiseKernel() !== null;
}

const noiseSharedModule = lazyWasmModule(COUNTER_NOISE_SHARED_WASM_BASE64);

/**
 * The noise kernel over a caller's memory (a split run's: src/stochastic/splitDisks.ts), writing its numbers where
 * they are used instead of into a memory of its own to be copied out. The caller keeps the ziggurat's tables (WN,
 * KN) and room for the rejected draws' indices in that memory.
 */
export class CounterFillOver {
  constructor(private readonly x: NoiseExports) {}
  /**
   * counterNormals of an even first coordinate and an even count into out[offset ..]; out, wn (WN), kn (KN), fn (FN)
   * and pend (scratch: room for count + 1 indices) are views of the memory this was made over. The same numbers to
   * the bit (the kernel completes the draws its fast path rejects).
   */
  fill(
    out: Float64Array,
    offset: number,
    first: number,
    count: number,
    k0: number,
    k1: number,
    stepLo: number,
    wn: Float64Array,
    kn: Int32Array,
    fn: Float64Array,
    pend: Int32Array,
  ): void {
    const at = out.byteOffset + 8 * offset;
    this.x.counterFill(at, first, count, k0, k1, stepLo, wn.byteOffset, kn.byteOffset, fn.byteOffset, pend.byteOffset);
  }
}

/**
 * This thread's noise kernel over `memory` (a shared one for threads), or null where WebAssembly SIMD is missing or
 * the kernel cannot be instantiated over it (the caller then fills with counterNormals).
 */
export function counterFillOver(memory: WebAssembly.Memory): CounterFillOver | null {
  const shared = typeof SharedArrayBuffer !== "undefined" && memory.buffer instanceof SharedArrayBuffer;
  const mod = shared ? noiseSharedModule() : noiseModule();
  if (mod === null) return null;
  try {
    const env = { ...NOISE_IMPORTS, memory };
    return new CounterFillOver(new WebAssembly.Instance(mod, { env }).exports as unknown as NoiseExports);
  } catch {
    return null;
  }
}

/** Fills shorter than this stay in JavaScript (the kernel's call and copy cost more than they save). */
const KERNEL_LEAST = 32;

/**
 * Writes the normal numbers of coordinates `first .. first + count` at one step into out[offset ..]: key (k0, k1)
 * of the step (counterStepKey), `stepLo` the step's low word. A pure function of its arguments. Runs the SIMD
 * kernel of asm/particles/noise.ts where WebAssembly SIMD is present (the same numbers to the bit as
 * counterNormalsJs, tested), else counterNormalsJs.
 */
export function counterNormals(
  out: Float64Array,
  offset: number,
  first: number,
  count: number,
  k0: number,
  k1: number,
  stepLo: number,
): void {
  const kern = count >= KERNEL_LEAST ? noiseKernel() : null;
  if (kern === null) return counterNormalsJs(out, offset, first, count, k0, k1, stepLo);
  let c = first,
    k = offset,
    end = first + count;
  if (c & 1) {
    out[k++] = counterNormal(c, k0, k1, stepLo);
    c++;
  }
  if ((end - c) & 1) {
    end--;
    out[k + end - c] = counterNormal(end, k0, k1, stepLo);
  }
  if (!kern.fill(out, k, c, end - c, k0, k1, stepLo)) counterNormalsJs(out, k, c, end - c, k0, k1, stepLo);
}

/** counterNormals in JavaScript (the fallback without WebAssembly SIMD, and the kernel's cross-check). */
export function counterNormalsJs(
  out: Float64Array,
  offset: number,
  first: number,
  count: number,
  k0: number,
  k1: number,
  stepLo: number,
): void {
  let c = first;
  const end = first + count;
  let k = offset;
  if (c < end && c & 1) {
    out[k++] = counterNormal(c, k0, k1, stepLo);
    c++;
  }
  // Threefry's key schedule, with the injections' round numbers added once per fill.
  const k2 = 0x1bd11bda ^ k0 ^ k1;
  const ki1 = (k2 + 1) | 0;
  const ki2 = (k0 + 2) | 0;
  const ki3 = (k1 + 3) | 0;
  const ki4 = (k2 + 4) | 0;
  const ki5 = (k0 + 5) | 0;
  const x1start = (stepLo + k1) | 0;
  let pending = PENDING,
    np = 0;
  for (; c + 1 < end; c += 2) {
    const m = c >>> 1;
    // threefry(m, stepLo, k0, k1), inlined
    let x0 = (m + k0) | 0,
      x1 = x1start;
    x0 = (x0 + x1) | 0;
    x1 = ((x1 << 13) | (x1 >>> 19)) ^ x0;
    x0 = (x0 + x1) | 0;
    x1 = ((x1 << 15) | (x1 >>> 17)) ^ x0;
    x0 = (x0 + x1) | 0;
    x1 = ((x1 << 26) | (x1 >>> 6)) ^ x0;
    x0 = (x0 + x1) | 0;
    x1 = ((x1 << 6) | (x1 >>> 26)) ^ x0;
    x0 = (x0 + k1) | 0; // key injection 1
    x1 = (x1 + ki1) | 0;
    x0 = (x0 + x1) | 0;
    x1 = ((x1 << 17) | (x1 >>> 15)) ^ x0;
    x0 = (x0 + x1) | 0;
    x1 = ((x1 << 29) | (x1 >>> 3)) ^ x0;
    x0 = (x0 + x1) | 0;
    x1 = ((x1 << 16) | (x1 >>> 16)) ^ x0;
    x0 = (x0 + x1) | 0;
    x1 = ((x1 << 24) | (x1 >>> 8)) ^ x0;
    x0 = (x0 + k2) | 0; // key injection 2
    x1 = (x1 + ki2) | 0;
    x0 = (x0 + x1) | 0;
    x1 = ((x1 << 13) | (x1 >>> 19)) ^ x0;
    x0 = (x0 + x1) | 0;
    x1 = ((x1 << 15) | (x1 >>> 17)) ^ x0;
    x0 = (x0 + x1) | 0;
    x1 = ((x1 << 26) | (x1 >>> 6)) ^ x0;
    x0 = (x0 + x1) | 0;
    x1 = ((x1 << 6) | (x1 >>> 26)) ^ x0;
    x0 = (x0 + k0) | 0; // key injection 3
    x1 = (x1 + ki3) | 0;
    x0 = (x0 + x1) | 0;
    x1 = ((x1 << 17) | (x1 >>> 15)) ^ x0;
    x0 = (x0 + x1) | 0;
    x1 = ((x1 << 29) | (x1 >>> 3)) ^ x0;
    x0 = (x0 + x1) | 0;
    x1 = ((x1 << 16) | (x1 >>> 16)) ^ x0;
    x0 = (x0 + x1) | 0;
    x1 = ((x1 << 24) | (x1 >>> 8)) ^ x0;
    x0 = (x0 + k1) | 0; // key injection 4
    x1 = (x1 + ki4) | 0;
    x0 = (x0 + x1) | 0;
    x1 = ((x1 << 13) | (x1 >>> 19)) ^ x0;
    x0 = (x0 + x1) | 0;
    x1 = ((x1 << 15) | (x1 >>> 17)) ^ x0;
    x0 = (x0 + x1) | 0;
    x1 = ((x1 << 26) | (x1 >>> 6)) ^ x0;
    x0 = (x0 + x1) | 0;
    x1 = ((x1 << 6) | (x1 >>> 26)) ^ x0;
    x0 = (x0 + k2) | 0; // key injection 5
    x1 = (x1 + ki5) | 0;
    // The fast path inline (98.8%); a rejected draw is completed after the loop (counterNormal recomputes its call:
    // a call in the loop cost it a third of its speed).
    const i0 = x0 & 127,
      j0 = x0 >>> 8;
    out[k] = j0 * WN[i0] * (1 - ((x0 >>> 6) & 2));
    if (j0 >= KN[i0]) pending = rejected(pending, np++, k, c);
    const i1 = x1 & 127,
      j1 = x1 >>> 8;
    out[k + 1] = j1 * WN[i1] * (1 - ((x1 >>> 6) & 2));
    if (j1 >= KN[i1]) pending = rejected(pending, np++, k + 1, c + 1);
    k += 2;
  }
  if (c < end) out[k] = counterNormal(c, k0, k1, stepLo);
  for (let q = 0; q < np; q++) out[pending[2 * q]] = counterNormal(pending[2 * q + 1], k0, k1, stepLo);
}

/** Rejected draws of a fill: (output index, coordinate) pairs; grows (rarely) when full. */
let PENDING: Float64Array = new Float64Array(256);

function rejected(pending: Float64Array, q: number, k: number, c: number): Float64Array {
  if (2 * q + 2 > pending.length) {
    const grown = new Float64Array(2 * pending.length);
    grown.set(pending);
    PENDING = pending = grown;
  }
  pending[2 * q] = k;
  pending[2 * q + 1] = c;
  return pending;
}

/** The normal number of coordinate c at one step (key (k0, k1) of the step, `stepLo` its low word). */
export function counterNormal(c: number, k0: number, k1: number, stepLo: number): number {
  threefry(c >>> 1, stepLo, k0, k1);
  const u = c & 1 ? OUT[1] : OUT[0];
  return wordNormal(u, c, stepLo, k0, k1);
}

/**
 * A replica's counter-based noise. Its four state words (what checkpoints save, as for Rng) are the key (two words)
 * and the step counter (low and high word); each fillNormal call is one step: coordinates offset .. offset + count of
 * `out` get the numbers of coordinates 0 .. count at the current step, and the counter advances. Draws other than
 * whole steps' fills (uniform, nextUint32, normal, jump) are refused: they belong to the default stream.
 */
export class CounterRng extends Rng {
  /** The stream of (seed, replica, substream): the key is a hash of the triple alone, the counter starts at 0. */
  static counterStream(seed: number, replica = 0, substream = 0): CounterRng {
    const [k0, k1] = counterKey(seed, replica, substream);
    return new CounterRng(k0, k1, 0, 0);
  }

  /** The step the next fill draws (below 2^53). */
  get stepIndex(): number {
    return (this.state[3] >>> 0) * 4294967296 + (this.state[2] >>> 0);
  }

  /** The key of the current step: the replica's key, its second word mixed with the step's high word. */
  stepKey0(): number {
    return this.state[0];
  }
  stepKey1(): number {
    return (this.state[1] ^ Math.imul(this.state[3], 0x85ebca6b)) | 0;
  }

  /** Moves the counter by one step (without drawing: a thread that drew its own share of the step calls this). */
  skip(): void {
    const s = this.state;
    s[2] = (s[2] + 1) | 0;
    if (s[2] === 0) s[3] = (s[3] + 1) | 0;
  }

  override fillNormal(out: Float64Array, offset: number, count: number): void {
    counterNormals(out, offset, 0, count, this.stepKey0(), this.stepKey1(), this.state[2]);
    this.skip();
  }

  override nextUint32(): number {
    throw new ModelError("internal: a counter-based noise stream draws whole steps of normal numbers only");
  }
  override normal(): number {
    return this.nextUint32();
  }
  override jump(): void {
    this.nextUint32();
  }
}
