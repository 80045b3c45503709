/**
 * Independent runs of a study's computation (sweep points, figure sets of several runs) on the context's runner:
 * every run is an ensemble (src/stochastic/ensemble.ts) whose blocks go to the runner's workers. With a runner all
 * runs are started at once, so the pool's queue holds the blocks of every run and no worker idles while one run
 * finishes; in process they run one after another. Each run's numbers depend only on its own seed, so the results
 * are the same whatever the runner and the number of workers. Browser-safe.
 */
import type { RunOptions } from "../stochastic/ensemble.js";
import type { ComputeContext } from "./contract.js";

/** What a study's runs take from its context. */
export type RunContext = Partial<Pick<ComputeContext, "runner" | "signal" | "progress">>;

/** The run options of one ensemble of a computation: the context's runner, signal and progress. */
export function runOptionsOf(ctx: RunContext): RunOptions {
  return { runner: ctx.runner, signal: ctx.signal, onProgress: ctx.progress };
}

/**
 * Runs independent jobs (each given its run options) and returns their results in the order of the jobs. Progress
 * is the sum over the jobs of the steps done, out of the sum of the totals reported so far.
 */
export async function runAll<T>(ctx: RunContext, jobs: readonly ((run: RunOptions) => Promise<T>)[]): Promise<T[]> {
  const done = new Float64Array(jobs.length),
    total = new Float64Array(jobs.length);
  const progress = ctx.progress;
  const runOf = (k: number): RunOptions => ({
    runner: ctx.runner,
    signal: ctx.signal,
    onProgress: progress
      ? (d, t) => {
          done[k] = d;
          total[k] = t;
          let a = 0,
            b = 0;
          for (let j = 0; j < jobs.length; j++) {
            a += done[j];
            b += total[j];
          }
          progress(a, b);
        }
      : undefined,
  });
  if (ctx.runner) return Promise.all(jobs.map((job, k) => job(runOf(k))));
  const out: T[] = [];
  for (let k = 0; k < jobs.length; k++) out.push(await jobs[k](runOf(k)));
  return out;
}
