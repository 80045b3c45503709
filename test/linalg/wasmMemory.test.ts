// The WebAssembly kernels never grow a memory: a kernel that needs more room makes a new memory of its size
// (instanceWithMemory, src/linalg/wasm/lazyModule.ts; the dense kernels' runtime a new instance over it). Growing a memory detaches its
// old ArrayBuffer, and V8 then compiles every typed-array access of the process with a check (measured: a soft-disk
// run 1.15-1.2x slower after one grow anywhere in the process). Each kernel below is given more than a first memory
// of 64 KB holds; `grow` is counted while they run.
import { describe, expect, it } from "vitest";
import { gemmNN, gemmNNJs } from "../../src/linalg/gemm.js";
import { ChainPencil, symmetricPattern } from "../../src/linalg/sparse.js";
import { SlicedPencil } from "../../src/linalg/slices.js";
import { StripGreen } from "../../src/linalg/stripGreen.js";
import * as runtime from "../../src/linalg/wasm/runtime.js";
import { linalgBackend, wasm, withWorkspace } from "../../src/linalg/wasm/runtime.js";
import { counterNoiseKernel, counterNormals, counterNormalsJs } from "../../src/stochastic/counterRng.js";
import { CellOrderList, CellSort } from "../../src/stochastic/neighbours/lists.js";
import { Rng } from "../../src/stochastic/rng.js";
import { rng } from "../helpers/random.js";
import { expectSameArray } from "../helpers/arrays.js";

/** A W x L grid of unit masses and springs, pinned, sliced by columns; friction on the first column. */
function gridPencil(W: number, L: number) {
  const n = W * L,
    is: number[] = [],
    js: number[] = [];
  for (let c = 0; c < L; c++)
    for (let r = 0; r < W; r++) {
      const i = c * W + r;
      if (r + 1 < W) {
        is.push(i);
        js.push(i + 1);
      }
      if (c + 1 < L) {
        is.push(i);
        js.push(i + W);
      }
    }
  const p = symmetricPattern(n, is, js);
  const off = new Float64Array(p.idx.length).fill(-1);
  const vDiag = new Float64Array(n).fill(0.1);
  for (let e = 0; e < is.length; e++) {
    vDiag[is[e]] += 1;
    vDiag[js[e]] += 1;
  }
  const gamma = new Float64Array(n);
  for (let r = 0; r < W; r++) gamma[r] = 1;
  const level = Int32Array.from({ length: n }, (_, i) => Math.floor(i / W));
  return { sliced: new SlicedPencil(level, vDiag, p.ptr, p.idx, off, new Float64Array(n).fill(1)), gamma };
}

describe("WebAssembly memories", () => {
  it("the pair list, the counter noise, the chain and strip sweeps and the dense kernels: none grows a memory", () => {
    const grow = WebAssembly.Memory.prototype.grow;
    let grows = 0;
    WebAssembly.Memory.prototype.grow = function (this: WebAssembly.Memory, delta: number) {
      grows++;
      return grow.call(this, delta);
    };
    try {
      // The pair list: 400 disks, then all of them in a corner (about 40 times the pairs: a larger memory).
      const N = 400,
        L = 30,
        r = rng(3);
      const x = Float64Array.from({ length: 2 * N }, () => r() * L);
      const table = { species: 1, speciesOf: new Int32Array(N), interacts: Int32Array.of(1) };
      const list = new CellOrderList(new CellSort(2, N, [L, L], 1.43, 0.43, table, "joined"), true, "wasm");
      list.prepare(x);
      for (let i = 0; i < x.length; i++) x[i] = 3 * r();
      list.prepare(x);
      expect(list.wasmLoops).not.toBeNull();
      expect(list.pairCount).toBeGreaterThan(4 * N);
      // The counter noise: a small fill, then 60000 numbers.
      expect(counterNoiseKernel()).toBe(true);
      const z = new Float64Array(60_000);
      counterNormals(z, 0, 0, 64, 1, 2, 3);
      counterNormals(z, 0, 0, z.length, 1, 2, 3);
      // The chain sweeps: 4099 sites (four doubles per site: 130 KB).
      const n = 4099;
      const v = Float64Array.from({ length: n }, () => 2.1 + r());
      const chain = new ChainPencil(v, new Float64Array(n).fill(1), new Float64Array(n - 1).fill(-1));
      expect(chain.kernels).toBe("wasm");
      // The strip sweep: a 40 x 6 strip (blocks of 40 x 40 complex numbers, about 160 KB).
      const { sliced, gamma } = gridPencil(40, 6);
      const strip = new StripGreen(sliced, gamma);
      expect(strip.wasm).toBe(true);
      strip.evaluate(0.5, -0.01, false, false, false);
      // The dense kernels' workspace: a product of 400 x 400 matrices (3.8 MB, more than their first memory of 1 MB),
      // twice (the second in the memory the first took), equal to the JavaScript product within rounding.
      expect(linalgBackend().backend).toBe("wasm");
      const m = 400,
        a = Float64Array.from({ length: m * m }, () => r() - 0.5),
        b = Float64Array.from({ length: m * m }, () => r() - 0.5);
      for (let rep = 0; rep < 2; rep++) {
        const c = new Float64Array(m * m),
          cJs = new Float64Array(m * m);
        gemmNN(m, m, m, 1, a, 0, m, b, 0, m, c, 0, m);
        gemmNNJs(m, m, m, 1, a, 0, m, b, 0, m, cJs, 0, m);
        let worst = 0;
        for (let i = 0; i < c.length; i++) worst = Math.max(worst, Math.abs(c[i] - cJs[i]));
        expect(worst).toBeLessThan(1e-12);
        expect(c.some((v) => v !== 0)).toBe(true);
      }
    } finally {
      WebAssembly.Memory.prototype.grow = grow;
    }
    expect(grows).toBe(0);
  });
});

/**
 * Runs fn with WebAssembly.Memory refusing memories of more than `limit` pages (as an engine near its limit does);
 * returns the page counts asked for.
 */
function withMemoryLimit(limit: number, fn: (asked: readonly number[]) => void): number[] {
  const Real = WebAssembly.Memory;
  const asked: number[] = [];
  const Limited = function (desc: WebAssembly.MemoryDescriptor) {
    asked.push(desc.initial);
    if (desc.initial > limit) throw new RangeError("WebAssembly.Memory(): could not allocate memory");
    return new Real(desc);
  };
  (WebAssembly as { Memory: unknown }).Memory = Limited;
  try {
    fn(asked);
  } finally {
    (WebAssembly as { Memory: unknown }).Memory = Real;
  }
  return asked;
}

describe("a workspace larger than the dense kernels' memory", () => {
  it.skipIf(process.env.NESS_LINALG === "js")(
    "gets a memory of exactly its size where the engine refuses the headroom (1.5x)",
    () => {
      const rt = wasm()!;
      const have = rt.memory.buffer.byteLength;
      const doubles = Math.ceil(have / 8); // more than the whole memory
      const pages = Math.ceil((rt.heap + 8 * doubles + 16 * 16) / 65536);
      expect(Math.ceil((1.5 * have) / 65536)).toBeGreaterThan(pages); // the headroom is more pages
      const fallbacks = runtime.workspaceFallbacks;
      let inWasm = false;
      const asked = withMemoryLimit(pages, () =>
        withWorkspace(doubles, (ws) => {
          inWasm = ws.inWasm;
          const v = ws.doubles(doubles);
          v[doubles - 1] = 1;
        }),
      );
      expect(asked).toEqual([Math.ceil((1.5 * have) / 65536), pages]); // refused, then the exact size
      expect(inWasm).toBe(true);
      expect(runtime.workspaceFallbacks).toBe(fallbacks);
      expect(rt.memory.buffer.byteLength).toBe(pages * 65536);
    },
  );
});

describe("the counter noise kernel, its memory refused", () => {
  it("runs the JavaScript loop (the same numbers) and does not ask again at every step", () => {
    expect(counterNoiseKernel()).toBe(true);
    const z = new Float64Array(64);
    counterNormals(z, 0, 0, 64, 1, 2, 3); // the kernel's first memory (64 numbers' room at least)
    const count = 100_000; // 1.2 MB: 19 pages (more than the earlier fills' room)
    const got = new Float64Array(count);
    const want = new Float64Array(count);
    let first = 0;
    const asked = withMemoryLimit(8, (sofar) => {
      for (let step = 0; step < 5; step++) {
        counterNormals(got, 0, 0, count, 11, 12, step);
        if (step === 0) first = sofar.length;
        expect(sofar.length).toBe(first); // asked at the first step only
        counterNormalsJs(want, 0, 0, count, 11, 12, step);
        let differ = 0;
        for (let i = 0; i < count; i++) if (!Object.is(got[i], want[i])) differ++;
        expect(differ).toBe(0);
      }
    });
    // refused at the first step: twice the old room, then (if that was more) the room for `count` alone
    expect(asked.length).toBeGreaterThanOrEqual(1);
    expect(asked.length).toBeLessThanOrEqual(2);
    expect(Math.min(...asked)).toBeGreaterThan(8);
  });
});

describe("the xoshiro fill's kernel, its memory refused", () => {
  it("fills in JavaScript (the same numbers and state) and does not ask again at every fill", () => {
    const a = Rng.stream(5, 1, 0),
      b = Rng.stream(5, 1, 0);
    const count = 300_000; // 3.6 MB of kernel memory: 55 pages
    const x = new Float64Array(count),
      y = new Float64Array(count);
    let first = -1;
    const asked = withMemoryLimit(40, (sofar) => {
      for (let fill = 0; fill < 4; fill++) {
        a.fillNormal(x, 0, count);
        if (fill === 0) first = sofar.length;
        expect(sofar.length).toBe(first); // asked at the first fill only
        b.fillNormalJs(y, 0, count);
        expectSameArray(x, y);
        expectSameArray(a.state, b.state);
      }
    });
    // refused: twice the old room, then (where that was more) the room for `count` alone
    expect(asked.length).toBeGreaterThanOrEqual(1);
    expect(asked.length).toBeLessThanOrEqual(2);
    expect(Math.min(...asked)).toBeGreaterThan(40);
  });
});

describe("the pair list's memory refused", () => {
  /**
   * 400 disks in a 30 x 30 box, then crowded into a corner x corner square: at 3 the list asks 4, then needs 5 and
   * then exactly 8 pages; at 4 it asks 4, then needs exactly 5.
   */
  function crowded(kernel: "wasm" | "js", corner = 3) {
    const N = 400,
      L = 30,
      r = rng(3);
    const x = Float64Array.from({ length: 2 * N }, () => r() * L);
    const table = { species: 1, speciesOf: new Int32Array(N), interacts: Int32Array.of(1) };
    const list = new CellOrderList(new CellSort(2, N, [L, L], 1.43, 0.43, table, "joined"), true, kernel);
    list.prepare(x);
    for (let i = 0; i < x.length; i++) x[i] = corner * r();
    return { list, x };
  }
  /** The list's pairs (the flat list's first pairCount entries). */
  function pairs(list: CellOrderList): number[] {
    const l = list as unknown as { pairI: Int32Array; pairJ: Int32Array };
    const out: number[] = [];
    for (let p = 0; p < list.pairCount; p++) out.push(l.pairI[p], l.pairJ[p]);
    return out;
  }

  it("gets a memory of exactly its size where twice the old is refused", () => {
    const { list, x } = crowded("wasm", 4);
    const asked = withMemoryLimit(7, () => list.prepare(x));
    expect(asked).toEqual([4, 8, 5]); // 8 pages refused, then the exact size
    expect(list.wasmLoops).not.toBeNull();
    const js = crowded("js", 4);
    js.list.prepare(js.x);
    expect(pairs(list)).toEqual(pairs(js.list));
  });

  it("builds in JavaScript (the same pairs) where even the exact size is refused, and does not ask again", () => {
    const { list, x } = crowded("wasm");
    const js = crowded("js");
    const asked = withMemoryLimit(7, () => {
      list.prepare(x);
      js.list.prepare(js.x);
      expect(list.wasmLoops).toBeNull();
      expect(pairs(list)).toEqual(pairs(js.list));
    });
    expect(asked).toEqual([4, 8, 5, 10, 8]); // 5 pages granted, then 10 and exactly 8 refused
    // rebuilds (every disk moved by more than the skin): no memory asked for, the same pairs as the JavaScript list
    for (let step = 1; step <= 3; step++) {
      for (let i = 0; i < x.length; i++) x[i] = js.x[i] = (x[i] + 0.3 * step) % 30;
      const again = withMemoryLimit(7, () => {
        list.prepare(x);
        js.list.prepare(js.x);
      });
      expect(again).toEqual([]);
      expect(list.wasmLoops).toBeNull();
      expect(pairs(list)).toEqual(pairs(js.list));
    }
  });
});
