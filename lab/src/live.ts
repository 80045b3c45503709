/**
 * The lab's live estimates: the batch means completed so far in every replica (the runner's partial outputs),
 * reduced as `ness simulate` reduces a finished run (per replica), and, for a linear model, shown beside their exact values with the
 * slowest-mode rule of "reliable" applied (src/verify attachExact: batches shorter than 5 correlation times of the
 * slowest mode are not trusted, whatever their lag-1 correlation says). No Web Worker here: tested in Node
 * (test/lab/live.test.ts).
 */
import { reduceEstimates, type Plan } from "../../src/stochastic/run.js";
import type { Estimate } from "../../src/stochastic/statistics.js";
import type { PartialBlock } from "../../src/stochastic/webPool.js";
import type { ExactReference } from "../../src/verify/reference.js";
import { attachExact } from "../../src/verify/simulation.js";

/**
 * Estimates from every completed batch of the blocks so far (in replica order; null before two batches), reduced as a
 * finished run is (src/stochastic/run.ts reduceEstimates: per replica, so that the lag-1 batch correlation pairs only
 * batches of the same replica, and with the choice between the state and the trapezoid pair heat when the model left
 * it open), with their exact values and the slowest-mode rule when `reference` is given; without the time-step bias
 * flags of the end. Once every replica is complete they are the finished run's values and error bars.
 */
export function liveEstimates(
  plan: Plan,
  partial: Iterable<PartialBlock>,
  reference?: ExactReference,
): Estimate[] | null {
  const { K, perReplica: P, nBurn, batchLength, batches } = plan;
  const rows: Float64Array[] = [],
    subRows: Float64Array[] = [];
  const counts: number[] = [];
  const sub = (plan.subBatches - 1) * K; // each batch's running sums inside it, after the replica's batch means
  for (const b of [...partial].sort((x, y) => x.first - y.first)) {
    for (let i = 0; i < b.count; i++) {
      const complete = i < b.index ? batches : i === b.index ? Math.floor((b.steps - nBurn) / batchLength) : 0;
      const n = Math.max(0, Math.min(batches, complete));
      if (n > 0) {
        rows.push(b.outputs.subarray(i * P, i * P + n * K));
        subRows.push(b.outputs.subarray(i * P + batches * K, i * P + batches * K + n * sub));
        counts.push(n);
      }
    }
  }
  const count = counts.reduce((n, c) => n + c, 0);
  if (count < 2) return null;
  const all = new Float64Array(count * K);
  let at = 0;
  for (const r of rows) {
    all.set(r, at);
    at += r.length;
  }
  const subSums = new Float64Array(count * sub);
  at = 0;
  for (const r of subRows) {
    subSums.set(r, at);
    at += r.length;
  }
  const { estimates } = reduceEstimates(plan, all, counts, subSums);
  if (reference) attachExact(estimates, reference, batchLength * plan.dt);
  return estimates;
}
