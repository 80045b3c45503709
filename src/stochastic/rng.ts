/**
 * Seeded, splittable random numbers for the stochastic engine.
 *
 * Generator: xoshiro128** (Blackman and Vigna), 128 bits of state, period 2^128 - 1, 32-bit outputs from 32-bit
 * integer arithmetic (fast in JavaScript engines). Streams: the state of stream (seed, replica, substream) is a
 * hash (murmur3's finaliser over the words of the triple) of the triple alone, so replica r draws the same numbers
 * whichever worker runs it and whatever the number of workers. Independent seeding of a 2^128-period generator makes
 * overlapping streams vanishingly unlikely (about L^2 R^2 / 2^129 for R streams of length L); `jump()` advances a
 * stream by 2^64 draws for callers that prefer provably disjoint sub-streams.
 *
 * Gaussians: a 128-layer ziggurat (Marsaglia and Tsang 2000) that takes the layer index (7 bits), the sign (1 bit)
 * and the abscissa (24 bits) from disjoint bits of one 32-bit draw, which avoids the index/value correlation of the
 * original (Doornik 2005); 98.8% of the draws cost one 32-bit output, a compare and a multiply. The rare rejected
 * draws are redone after the fast loop of each fill, so the numbers depend on the sizes of the fills as well as on
 * the stream: an integrator always fills the same sizes, so a replica's run is reproducible.
 */
import { ModelError } from "../errors.js";
import * as portable from "../special/elementary.js";
import { XoshiroKernel } from "./xoshiroWasm.js";

const TWO32 = 4294967296;

/** murmur3 32-bit finaliser: a bijective avalanche on 32-bit words. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hashes a sequence of 32-bit words (order-sensitive) into one word; `salt` gives independent hashes. */
function hashWords(words: number[], salt: number): number {
  let h = fmix32((salt + 0x9e3779b9) >>> 0);
  for (const w of words) h = fmix32((h ^ fmix32(w >>> 0)) + 0x7f4a7c15 + Math.imul(h, 5));
  return h;
}

/** Splits a non-negative integer seed (< 2^53) into two 32-bit words. */
function seedWords(seed: number): [number, number] {
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new ModelError(`seed must be a non-negative integer below 2^53, got ${String(seed)}`);
  return [seed % TWO32, Math.floor(seed / TWO32)];
}

// Ziggurat tables (128 layers; magnitudes are 24-bit integers, so m1 = 2^24).
const ZIG_R = 3.442619855899;
/** Ziggurat tables, for kernels that inline the fast path (kernels.ts): KN[i] (24-bit thresholds), WN[i] (widths). */
const ZIG_M1 = 16777216;
export const KN = new Int32Array(128);
export const WN = new Float64Array(128);
const FN = new Float64Array(128);
(() => {
  let dn = ZIG_R;
  let tn = dn;
  const vn = 9.91256303526217e-3;
  const q = vn / portable.exp(-0.5 * dn * dn);
  KN[0] = Math.floor((dn / q) * ZIG_M1);
  KN[1] = 0;
  WN[0] = q / ZIG_M1;
  WN[127] = dn / ZIG_M1;
  FN[0] = 1;
  FN[127] = portable.exp(-0.5 * dn * dn);
  for (let i = 126; i >= 1; i--) {
    dn = Math.sqrt(-2 * portable.log(vn / dn + portable.exp(-0.5 * dn * dn)));
    KN[i + 1] = Math.floor((dn / tn) * ZIG_M1);
    tn = dn;
    FN[i] = portable.exp(-0.5 * dn * dn);
    WN[i] = dn / ZIG_M1;
  }
})();

const NO_PENDING = new Int32Array(0);

/** A xoshiro128** stream with uniform and Gaussian samplers. */
export class Rng {
  /** The 128-bit state (four 32-bit words). */
  readonly state = new Int32Array(4);
  /** Indices of rejected fast-path draws in a fill; allocated at the first fill (a replica makes two streams). */
  private pending = NO_PENDING;

  /** A stream from explicit state words (not all zero). */
  constructor(s0: number, s1: number, s2: number, s3: number) {
    if ((s0 | s1 | s2 | s3) === 0) s0 = 0x9e3779b9;
    this.state[0] = s0;
    this.state[1] = s1;
    this.state[2] = s2;
    this.state[3] = s3;
  }

  /**
   * The stream of replica `replica` under `seed`; `substream` separates independent uses within one replica
   * (e.g. initial conditions and dynamics). Depends on (seed, replica, substream) only.
   */
  static stream(seed: number, replica = 0, substream = 0): Rng {
    const [lo, hi] = seedWords(seed);
    if (!Number.isSafeInteger(replica) || replica < 0)
      throw new ModelError(`replica index must be a non-negative integer, got ${String(replica)}`);
    const words = [lo, hi, replica % TWO32, Math.floor(replica / TWO32), substream >>> 0];
    const rng = new Rng(hashWords(words, 1), hashWords(words, 2), hashWords(words, 3), hashWords(words, 4));
    for (let k = 0; k < 8; k++) rng.nextUint32(); // decorrelate from the hash
    return rng;
  }

  /** Next 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.state;
    const s0 = s[0],
      s1 = s[1];
    let s2 = s[2],
      s3 = s[3];
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s[1] = s1 ^ s2;
    s[0] = s0 ^ s3;
    s[2] = s2 ^ t;
    s[3] = rotl(s3, 11);
    return r;
  }

  /** Uniform on [0, 1) with 53 random bits. */
  uniform(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** Uniform on (0, 1) with 32 bits (never 0 or 1): for logarithms. */
  uniformOpen(): number {
    return (this.nextUint32() + 0.5) / TWO32;
  }

  /** One standard normal deviate. */
  normal(): number {
    const out = SCRATCH;
    this.fillNormal(out, 0, 1);
    return out[0];
  }

  /**
   * Writes `count` standard normal deviates (count < 2^24) into out[offset .. offset + count): the ziggurat, with
   * the generator's state held in locals for the whole fill (no allocation once the scratch list has grown).
   */
  fillNormal(out: Float64Array, offset: number, count: number): void {
    const kern = count >= KERNEL_LEAST ? xoshiroKernel() : null;
    if (kern !== null) {
      // The WebAssembly fast loop (the same draws and numbers), its rejected draws completed here in order.
      const np = kern.fill(this.state, out, offset, count);
      if (np >= 0) {
        const pend = kern.pend;
        for (let m = 0; m < np; m++) {
          const q = pend[m];
          const k = offset + (q >>> 7);
          out[k] = this.redo(q & 127, out[k]);
        }
        return;
      }
    }
    this.fillNormalJs(out, offset, count);
  }

  /** fillNormal in JavaScript (short fills, the fallback without WebAssembly, and the kernel's cross-check). */
  fillNormalJs(out: Float64Array, offset: number, count: number): void {
    if (this.pending.length < count) this.pending = new Int32Array(Math.max(count, 64, 2 * this.pending.length));
    const pending = this.pending;
    let npending = 0;
    const s = this.state;
    let s0 = s[0],
      s1 = s[1],
      s2 = s[2],
      s3 = s[3];
    const end = offset + count;
    for (let k = offset; k < end; k++) {
      // xoshiro128** step, inlined.
      const v = Math.imul(s1, 5);
      const u = Math.imul((v << 7) | (v >>> 25), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      const i = u & 127;
      const j = u >>> 8;
      // Branch-free sign from bit 7: 1 - 2 * bit. A rejected draw is redone after the loop (keeps the loop tight).
      out[k] = j * WN[i] * (1 - ((u >>> 6) & 2));
      if (j >= KN[i]) pending[npending++] = (k << 7) | i; // k < 2^24 per call
    }
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
    for (let m = 0; m < npending; m++) {
      const k = pending[m] >>> 7;
      out[k] = this.redo(pending[m] & 127, out[k]);
    }
  }

  /**
   * Completes a draw the fast ziggurat path rejected: layer i, provisional value x (its sign and magnitude carry
   * the rest of the 32-bit draw). For fused kernels that inline the fast path (kernels.ts).
   */
  redo(i: number, x: number): number {
    return this.slowNormal(i, Math.abs(x) / WN[i], x < 0 ? 128 : 0);
  }

  private slowNormal(i: number, j: number, neg: number): number {
    for (;;) {
      if (i === 0) {
        let x: number, y: number;
        do {
          x = -portable.log(this.uniformOpen()) / ZIG_R;
          y = -portable.log(this.uniformOpen());
        } while (y + y < x * x);
        return neg ? -(ZIG_R + x) : ZIG_R + x;
      }
      const x = j * WN[i];
      if (FN[i] + this.uniformOpen() * (FN[i - 1] - FN[i]) < portable.exp(-0.5 * x * x)) return neg ? -x : x;
      const u = this.nextUint32();
      i = u & 127;
      j = u >>> 8;
      neg = u & 128;
      if (j < KN[i]) {
        const y = j * WN[i];
        return neg ? -y : y;
      }
    }
  }

  /** Advances the stream by 2^64 draws (xoshiro128**'s jump polynomial). */
  jump(): void {
    const JUMP = [0x8764000b, 0xf542d2d3, 0x6fa035c3, 0x77f2db5b];
    let a = 0,
      b = 0,
      c = 0,
      d = 0;
    for (const word of JUMP) {
      for (let bit = 0; bit < 32; bit++) {
        if ((word >>> bit) & 1) {
          a ^= this.state[0];
          b ^= this.state[1];
          c ^= this.state[2];
          d ^= this.state[3];
        }
        this.nextUint32();
      }
    }
    this.state[0] = a;
    this.state[1] = b;
    this.state[2] = c;
    this.state[3] = d;
  }
}

const SCRATCH = new Float64Array(1);

/** Fills shorter than this stay in JavaScript (the kernel's call and copies cost more than they save). */
const KERNEL_LEAST = 64;

/** undefined before the first long fill; null where WebAssembly cannot run the kernel (JavaScript then does). */
let kernel: XoshiroKernel | null | undefined;

function xoshiroKernel(): XoshiroKernel | null {
  if (kernel === undefined) kernel = XoshiroKernel.create(WN, KN);
  return kernel;
}

/** True when long fills run the WebAssembly kernel here, false when JavaScript does. */
export function normalKernel(): boolean {
  return xoshiroKernel() !== null;
}

/**
 * The key words of a counter-based stream (counterRng.ts) of (seed, replica, substream): hashes of the triple, apart
 * from the xoshiro streams' state words (other salts).
 */
export function counterKey(seed: number, replica: number, substream: number): [number, number] {
  const [lo, hi] = seedWords(seed);
  if (!Number.isSafeInteger(replica) || replica < 0)
    throw new ModelError(`replica index must be a non-negative integer, got ${String(replica)}`);
  const words = [lo, hi, replica % TWO32, Math.floor(replica / TWO32), substream >>> 0];
  return [hashWords(words, 11) | 0, hashWords(words, 12) | 0];
}

/**
 * The ziggurat's completion of a rejected fast-path draw (layer i, 24-bit abscissa j, sign `neg` nonzero for
 * negative), drawing further unsigned 32-bit words from `next`: the logic of Rng's own completion, for streams that
 * are not xoshiro (counterRng.ts).
 */
export function slowNormalFrom(i: number, j: number, neg: number, next: () => number): number {
  const open = () => (next() + 0.5) / TWO32;
  for (;;) {
    if (i === 0) {
      let x: number, y: number;
      do {
        x = -portable.log(open()) / ZIG_R;
        y = -portable.log(open());
      } while (y + y < x * x);
      return neg ? -(ZIG_R + x) : ZIG_R + x;
    }
    const x = j * WN[i];
    if (FN[i] + open() * (FN[i - 1] - FN[i]) < portable.exp(-0.5 * x * x)) return neg ? -x : x;
    const u = next();
    i = u & 127;
    j = u >>> 8;
    neg = u & 128;
    if (j < KN[i]) {
      const y = j * WN[i];
      return neg ? -y : y;
    }
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Standard normal cumulative distribution (for tests of the sampler): Phi(x) = erfc(-x / sqrt 2) / 2. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** Complementary error function, relative accuracy ~1e-7 (Numerical Recipes' erfcc, Chebyshev fit). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    portable.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
