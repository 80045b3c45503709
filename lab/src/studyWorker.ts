/**
 * Web Worker of the study pages: runs a study's compute (or one of its figure sets) off the page's thread, so the
 * page stays responsive and Cancel is immediate (the page terminates this worker). The simulations inside go to
 * the engine's block workers (webWorkerRunner, src/stochastic/webPool.ts, with the studies' entry
 * src/studies/webWorker.ts): the same blocks, random streams and reduction as `ness study`'s worker pool, so the
 * same numbers for the same seed. Messages:
 *   in:  { id, study, set?, parameters, seed, quick, force }   (set: the id of a figure set of `ness reproduce`)
 *   out: { id, type: "progress", done, total } | { id, type: "result", results } | { id, type: "error", name, message }
 *        | { id, type: "frame", steps, x, cold, box }: demixing only, the positions of replica 0 while it runs (from
 *          the runner's partial outputs, about 4 a second): the frames of the page's live snapshot animation.
 */
import { NessError } from "../../src/errors.js";
import { webWorkerRunner, type PartialBlock } from "../../src/stochastic/webPool.js";
import { demixingSnapshotReader, type DemixingParams } from "../../src/studies/two-temperature/demixing.js";
import { findStudy } from "../../src/studies/catalog.js";
import "../../src/stochastic/run.js";
import "../../src/stochastic/sde.js";
import "../../src/stochastic/langevinEnsemble.js";

export interface StudyRequest {
  id: number;
  study: string;
  set?: string;
  parameters: unknown;
  seed: number;
  quick: boolean;
  /** A draft (ComputeContext.draft): the study's figure curves on fewer points, refined by a second request. */
  draft?: boolean;
  force: boolean;
  /** Block workers for the simulations (at least 1). */
  workers: number;
}

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<StudyRequest>) => void) | null;
  postMessage(m: unknown): void;
};

scope.onmessage = (e) => {
  const q = e.data;
  void (async () => {
    try {
      const study = findStudy(q.study);
      if (!study) throw new NessError(`no study '${q.study}'`);
      let onPartial: ((b: PartialBlock) => void) | undefined;
      if (q.study === "two-temperature/demixing" && q.set === undefined) {
        const read = demixingSnapshotReader({ ...(q.parameters as Partial<DemixingParams>), seed: q.seed });
        onPartial = (b) => {
          if (b.first !== 0) return; // replica 0: the first of block 0
          const snap = read(b.outputs.subarray(0, b.outputs.length / b.count));
          const steps = b.index > 0 ? -1 : b.steps; // -1: replica 0 has finished
          scope.postMessage({ id: q.id, type: "frame", steps, ...snap });
        };
      }
      const runner = webWorkerRunner(
        () =>
          new Worker(new URL("../../src/studies/webWorker.ts", import.meta.url), {
            type: "module",
            name: "ness-blocks",
          }),
        q.workers,
        onPartial ? { onPartial, partialMs: 250 } : {},
      );
      let last = 0;
      const ctx = {
        seed: q.seed,
        quick: q.quick,
        force: q.force,
        figures: true,
        draft: q.draft === true,
        runner,
        progress: (done: number, total: number) => {
          const now = performance.now();
          if (now - last < 100 && done < total) return;
          last = now;
          scope.postMessage({ id: q.id, type: "progress", done, total });
        },
      };
      let results: unknown;
      if (q.set !== undefined) {
        const c = study.reproduce.find((r) => r.id === q.set);
        if (!c) throw new NessError(`${q.study}: no figure set '${q.set}'`);
        results = await c.compute(c.parameters(q.quick), ctx);
      } else {
        results = await study.compute(q.parameters as never, ctx);
      }
      scope.postMessage({ id: q.id, type: "result", results });
    } catch (err) {
      const x = err as Error;
      scope.postMessage({ id: q.id, type: "error", name: x?.name ?? "Error", message: x?.message ?? String(err) });
    }
  })();
};
