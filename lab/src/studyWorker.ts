/**
 * Web Worker of the study pages: runs a study's compute (or one of its figure sets) off the page's thread, so the
 * page stays responsive and Cancel is immediate (the page terminates this worker). The simulations inside go to
 * the engine's block workers (webWorkerRunner, src/stochastic/webPool.ts, with the studies' entry
 * src/studies/webWorker.ts): the same blocks, random streams and reduction as `ness study`'s worker pool, so the
 * same numbers for the same seed. Messages:
 *   in:  { id, study, set?, parameters, seed, quick, force }   (set: the id of a figure set of `ness reproduce`)
 *        | { id, type: "next-frame" }: the page has painted the last frame and takes the next one
 *   out: { id, type: "progress", done, total } | { id, type: "result", results }
 *        | { id, type: "error", name, message, internal } (internal: not a NessError, a bug: the page says so)
 *        | { id, type: "frame", steps, x, cold, box }: demixing only, the positions of replica 0 while it runs (from
 *          the runner's partial outputs, at most about 4 a second): the frames of the page's live snapshot animation.
 *          The first is sent at once, each next one only after the page's "next-frame" (the newest positions then),
 *          so no frames queue up behind a page that draws slowly.
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

/** The page asks for the next live frame of request `id` once it has painted the last one. */
export interface NextFrame {
  id: number;
  type: "next-frame";
}

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<StudyRequest | NextFrame>) => void) | null;
  postMessage(m: unknown, transfer?: Transferable[]): void;
};

/** The live frames of the running request: the page's "next-frame" calls `next` (a request at a time per worker). */
let frames: { id: number; next: () => void } | null = null;

scope.onmessage = (e) => {
  const m = e.data;
  if ("type" in m) {
    if (m.type === "next-frame" && frames?.id === m.id) frames.next();
    return;
  }
  const q = m;
  frames = null;
  void (async () => {
    try {
      const study = findStudy(q.study);
      if (!study) throw new NessError(`no study '${q.study}'`);
      let onPartial: ((b: PartialBlock) => void) | undefined;
      if (q.study === "two-temperature/demixing" && q.set === undefined) {
        const read = demixingSnapshotReader({ ...(q.parameters as Partial<DemixingParams>), seed: q.seed });
        // The newest outputs of block 0 not sent yet, and whether the page waits for a frame (it does at first).
        let latest: PartialBlock | null = null;
        let wanted = true;
        const send = (b: PartialBlock) => {
          const snap = read(b.outputs.subarray(0, b.outputs.length / b.count));
          const steps = b.index > 0 ? -1 : b.steps; // -1: replica 0 has finished
          scope.postMessage({ id: q.id, type: "frame", steps, ...snap }, [snap.x.buffer]);
        };
        frames = {
          id: q.id,
          next: () => {
            if (latest) {
              send(latest);
              latest = null;
            } else wanted = true;
          },
        };
        onPartial = (b) => {
          if (b.first !== 0) return; // replica 0: the first of block 0
          if (!wanted) {
            latest = b;
            return;
          }
          wanted = false;
          send(b);
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
      // No frame after the result (a "next-frame" crossing it would otherwise send the held one).
      if (frames?.id === q.id) frames = null;
      scope.postMessage({ id: q.id, type: "result", results });
    } catch (err) {
      if (frames?.id === q.id) frames = null;
      const x = err as Error;
      // Not a NessError (a user-caused error is one): a bug, said as the CLI says it ("internal error").
      scope.postMessage({
        id: q.id,
        type: "error",
        name: x?.name ?? "Error",
        message: x?.message ?? String(err),
        internal: !(err instanceof NessError),
      });
    }
  })();
};
