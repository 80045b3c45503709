// The engine-independent exp, log, sin, cos (src/special/elementary.ts) against the engine's Math functions, per
// call, in interleaved rounds (bench/rounds.js), CPU time. Each contender runs in a loop of its own (its own call
// site, so that the engine can inline it, as in the simulation kernels), over 4096 arguments of the ranges the
// simulations use: exp on [-10, 10], log on (0, 1], sin and cos on [0, 25); sincos against Math.sin + Math.cos.
import * as portable from "../dist/special/elementary.js";
import { interleave, measure, median, report, roundsFor } from "./rounds.js";

export const title = "portable exp, log, sin, cos (same bits in every engine) vs the engine's Math functions, per call";

const N = 4096;

function loopOf(f) {
  // new Function: a separate function (and call-site feedback) for every contender
  const loop = new Function(
    "f",
    "xs",
    "reps",
    "let s = 0; for (let r = 0; r < reps; r++) for (let i = 0; i < xs.length; i++) s += f(xs[i]); return s;",
  );
  return (xs, reps) => loop(f, xs, reps);
}

export async function run(log, options = {}) {
  const rounds = roundsFor(options, 7, 3);
  const reps = options.quick ? 100 : 300;
  let seed = 42;
  const u = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0), seed / 4294967296);
  const args = {
    exp: Float64Array.from({ length: N }, () => -10 + 20 * u()),
    log: Float64Array.from({ length: N }, () => u() + 1e-300),
    sin: Float64Array.from({ length: N }, () => 25 * u()),
    cos: Float64Array.from({ length: N }, () => 25 * u()),
  };
  const out = new Float64Array(2);
  const sincos = (x) => (portable.sincos(x, out), out[0] + out[1]);
  const mathSincos = (x) => Math.sin(x) + Math.cos(x);
  const cases = [
    ["exp", portable.exp, Math.exp, args.exp],
    ["log", portable.log, Math.log, args.log],
    ["sin", portable.sin, Math.sin, args.sin],
    ["cos", portable.cos, Math.cos, args.cos],
    ["sincos", sincos, mathSincos, args.sin],
  ];
  for (const [name, mine, theirs, xs] of cases) {
    const a = loopOf(mine),
      b = loopOf(theirs);
    a(xs, 30);
    b(xs, 30); // warm-up (tier-up)
    const res = await interleave(
      [
        { name: "portable", round: () => measure(() => a(xs, reps)) },
        { name: "Math", round: () => measure(() => b(xs, reps)) },
      ],
      rounds,
      log,
    );
    report(log, `${name} (${reps * N} calls per round)`, res.portable, res.Math, { per: reps * N, anchorName: "Math" });
    const ns = (r) => ((median(r.map((x) => x.cpu)) / (reps * N)) * 1e9).toFixed(1);
    log(`    per call (cpu, median): portable ${ns(res.portable)} ns, Math ${ns(res.Math)} ns`);
  }
}
