/**
 * The fast loop of Rng.fillNormal (rng.ts: xoshiro128** draws through the ziggurat's fast path) in WebAssembly
 * (asm/particles/pairs.ts xoshiroFill, the module of the pair lists: plain WebAssembly, no SIMD): the same draws and
 * arithmetic in the same order, so the same numbers to the bit (test/stochastic/rng.test.ts compares them with the
 * JavaScript loop). The caller completes the rejected draws in order, as the JavaScript fill does. One instance per
 * thread, with a memory of its own holding the ziggurat's tables, the state, one fill's numbers and the indices of
 * its rejected draws; a fill that needs more room gets a new memory and instance (instanceWithMemory: never
 * Memory.grow, which would detach a buffer and in V8 slow every typed array of the process). Browser-safe.
 */
import { instanceWithMemory } from "../linalg/wasm/lazyModule.js";
import { pairsModule } from "./neighbours/wasmPairs.js";

interface XoshiroExports {
  xoshiroFill(out: number, count: number, state: number, wn: number, kn: number, pend: number): number;
}

/** Byte offsets of the tables, the state and the output (the rejected draws' indices follow it). */
const O_WN = 1024,
  O_KN = O_WN + 8 * 128,
  O_STATE = O_KN + 4 * 128,
  O_OUT = 4096;

/** The kernel of one thread (see the header). */
export class XoshiroKernel {
  private x: XoshiroExports | null = null;
  private cap = 0;
  private oPend = 0;
  private stateView = new Int32Array(0);
  /** The fill's numbers and its rejected draws ((k << 7) | layer), views of the memory. */
  out = new Float64Array(0);
  pend = new Int32Array(0);
  private view = new Float64Array(0);
  private viewCount = -1;

  private constructor(
    private readonly module: WebAssembly.Module,
    private readonly wn: Float64Array,
    private readonly kn: Int32Array,
  ) {}

  /** The smallest count whose memory the engine refused: fills of it or more run JavaScript (the same numbers). */
  private refused = Infinity;

  /**
   * Room for `count` numbers: twice the old room, or where the engine refuses that, `count`'s; false when even that
   * is refused (remembered: not asked again for as many or more).
   */
  private reserve(count: number): boolean {
    if (this.x !== null && count <= this.cap) return true;
    if (count >= this.refused) return false;
    let made: { instance: WebAssembly.Instance; memory: WebAssembly.Memory } | null = null;
    let cap = Math.max(count, 2 * this.cap);
    for (const room of cap > count ? [cap, count] : [count]) {
      try {
        made = instanceWithMemory(this.module, O_OUT + 12 * room + 4);
        cap = room;
        break;
      } catch {
        made = null;
      }
    }
    if (made === null) {
      this.refused = count;
      return false;
    }
    const oPend = O_OUT + 8 * cap;
    const buf = made.memory.buffer;
    new Float64Array(buf, O_WN, 128).set(this.wn);
    new Int32Array(buf, O_KN, 128).set(this.kn);
    this.x = made.instance.exports as unknown as XoshiroExports;
    this.cap = cap;
    this.oPend = oPend;
    this.stateView = new Int32Array(buf, O_STATE, 4);
    this.out = new Float64Array(buf, O_OUT, cap);
    this.pend = new Int32Array(buf, oPend, cap + 1);
    this.viewCount = -1;
    return true;
  }

  /**
   * `count` fast-path draws from `state` (updated) into this.out[0 .. count), the fill's numbers copied to
   * out[offset ..]; returns the number of rejected draws listed in this.pend, or -1 when the kernel cannot run (the
   * state is then untouched).
   */
  fill(state: Int32Array, out: Float64Array, offset: number, count: number): number {
    if (!this.reserve(count)) return -1;
    this.stateView.set(state);
    const np = this.x!.xoshiroFill(O_OUT, count, O_STATE, O_WN, O_KN, this.oPend);
    state.set(this.stateView);
    if (count !== this.viewCount) {
      this.view = this.out.subarray(0, count);
      this.viewCount = count;
    }
    out.set(this.view, offset);
    return np;
  }

  /** This thread's kernel (tables wn, kn), or null where WebAssembly is missing or refuses the module. */
  static create(wn: Float64Array, kn: Int32Array): XoshiroKernel | null {
    const m = pairsModule();
    return m === null ? null : new XoshiroKernel(m, wn, kn);
  }
}
