/**
 * Figure sets computed as maps of independent points (PointMap in contract.ts): the library's way of running them
 * (every point on the context's runner, then the pure assembly), and the JSON form a point's result is kept in, so
 * that `ness reproduce` (which stores each point in a sweep store and may resume) and a library caller assemble the
 * same results. Browser-safe.
 */
import type { PointMap, ReproduceCase } from "./contract.js";
import { runAll } from "./parallel.js";

/** A point's result as it is stored: JSON, with typed arrays as lists (numbers unchanged, undefined fields left out). */
export function plainPoint<V>(value: V): V {
  const text = JSON.stringify(value, (_k, v: unknown) =>
    ArrayBuffer.isView(v) && !(v instanceof DataView) ? Array.from(v as unknown as ArrayLike<number>) : v,
  );
  return (text === undefined ? null : JSON.parse(text)) as V;
}

/**
 * A figure set whose computation is a map of independent points: `ness reproduce` runs the points as a resumable
 * sweep on its worker threads; compute() (a library caller, the tests) runs them on the context's runner (all at
 * once with a runner, in turn without) and assembles the same results.
 */
export function mapSet<P, Q, V, R>(
  c: Omit<ReproduceCase<P, R>, "compute" | "map"> & { map: PointMap<P, Q, V, R> },
): ReproduceCase<P, R> {
  return {
    ...c,
    async compute(parameters, ctx) {
      const at = { seed: ctx.seed, quick: ctx.quick };
      const values = await runAll(
        ctx,
        c.map
          .points(parameters, at)
          .map(
            (q) => async (run) =>
              plainPoint(
                await c.map.point(q, { ...ctx, runner: run.runner, signal: run.signal, progress: run.onProgress }),
              ),
          ),
      );
      return c.map.assemble(parameters, values, at);
    },
  };
}
