/**
 * Simulations in the page: the replicas of a simulation spec run in Web Workers (simWorker.ts), a few at a time;
 * live estimates (completed batches of every replica so far) update while they run, and the final result is the
 * library's own reduction (reduceBlocks) of the replicas in replica order: the numbers `ness simulate` prints for
 * the same model, options and seed. Pause and resume reach the workers between slices of steps (milliseconds);
 * cancel terminates them.
 */
import { prepareEnsemble } from "../../src/stochastic/ensemble.js";
import { reduceBlocks, type Plan, type SimulationResult, type SimulationSpec } from "../../src/stochastic/run.js";
import { reduceBatches, type Estimate } from "../../src/stochastic/statistics.js";

export interface RunCallbacks {
  /** Live estimates (null before the first completed batch), steps done and the total. */
  onUpdate(live: Estimate[] | null, done: number, total: number): void;
  onDone(result: SimulationResult): void;
  onError(message: string): void;
}

let runIds = 0;

export class PageSimulation {
  readonly plan: Plan;
  readonly total: number;
  private readonly workers: Worker[] = [];
  private readonly finished = new Map<number, Float64Array>();
  private readonly partial = new Map<number, Float64Array>();
  private next = 0;
  private done = 0;
  private stopped = false;
  private readonly id = ++runIds;
  paused = false;

  /** Prepares the plan in the page first: a bad option or model is refused here with the library's message. */
  constructor(
    readonly spec: SimulationSpec,
    private readonly cb: RunCallbacks,
    workers = 2,
  ) {
    this.plan = prepareEnsemble(spec) as Plan;
    this.total = this.plan.replicas * (this.plan.nBurn + this.plan.nProduction);
    const count = Math.max(1, Math.min(workers, this.plan.replicas));
    for (let w = 0; w < count; w++) {
      const worker = new Worker(new URL("./simWorker.ts", import.meta.url), {
        type: "module",
        name: `ness-simulation-${w}`,
      });
      worker.onmessage = (e) => this.message(worker, e.data);
      worker.onerror = (e) => this.fail(`the simulation worker failed: ${e.message}`);
      this.workers.push(worker);
    }
    for (const w of this.workers) this.assign(w);
  }

  private assign(worker: Worker): void {
    if (this.next >= this.plan.replicas) return;
    worker.postMessage({ type: "replica", run: this.id, spec: this.spec, replica: this.next++ });
    if (this.paused) worker.postMessage({ type: "pause" });
  }

  private message(
    worker: Worker,
    m: { type: string; replica: number; steps: number; batchMeans: Float64Array; message: string; name: string },
  ): void {
    if (this.stopped) return;
    if (m.type === "error") return this.fail(m.message);
    this.done += m.steps;
    if (m.type === "progress") this.partial.set(m.replica, m.batchMeans);
    else if (m.type === "done") {
      this.partial.delete(m.replica);
      this.finished.set(m.replica, m.batchMeans);
      this.assign(worker);
    }
    if (this.finished.size === this.plan.replicas) return this.finish();
    this.cb.onUpdate(this.live(), this.done, this.total);
  }

  /** Estimates from every completed batch so far (replica order), without the time-step bias flags of the end. */
  live(): Estimate[] | null {
    const K = this.plan.K;
    const parts: Float64Array[] = [];
    for (let r = 0; r < this.plan.replicas; r++) {
      const part = this.finished.get(r) ?? this.partial.get(r);
      if (part && part.length > 0) parts.push(part);
    }
    const rows = parts.reduce((n, p) => n + p.length / K, 0);
    if (rows < 2) return null;
    const all = new Float64Array(rows * K);
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
    return reduceBatches(all, K, 1, this.plan.estimands);
  }

  private finish(): void {
    this.terminate();
    try {
      // One block per replica: outputs are per replica and collected in replica order; the lab asks for no fields,
      // so there are no block sums whose order of addition could differ from the CLI's blocks.
      const blocks = [...this.finished.entries()].map(([first, outputs]) => ({
        first,
        count: 1,
        outputs,
        sums: new Float64Array(this.plan.perBlock),
      }));
      this.cb.onDone(reduceBlocks(this.plan, blocks));
    } catch (err) {
      this.cb.onError((err as Error).message);
    }
  }

  private fail(message: string): void {
    if (this.stopped) return;
    this.terminate();
    this.cb.onError(message);
  }

  pause(): void {
    this.paused = true;
    for (const w of this.workers) w.postMessage({ type: "pause" });
  }

  resume(): void {
    this.paused = false;
    for (const w of this.workers) w.postMessage({ type: "resume" });
  }

  cancel(): void {
    this.terminate();
  }

  get running(): boolean {
    return !this.stopped;
  }

  private terminate(): void {
    this.stopped = true;
    for (const w of this.workers) w.terminate();
  }
}
