/**
 * A helper thread of split runs (splitThreads.ts): thread t of a set of T. It sleeps on the set's generation word;
 * woken, it runs its share of the phase the control words name (or takes a new run's buffer from its port), then
 * counts itself in. A failure sets the error word (the caller throws); nothing else leaves the thread.
 */
import { receiveMessageOnPort, workerData, type MessagePort } from "node:worker_threads";
import { SplitKernel, type Phase, type SplitConfig } from "../stochastic/splitDisks.js";
import { DONE, ERROR, EXIT, GEN, PHASE, READY, SETUP, SPIN } from "./splitThreads.js";

const { ctl, t, threads, port } = workerData as { ctl: Int32Array; t: number; threads: number; port: MessagePort };

let kernel: SplitKernel | null = null;
let seen = Atomics.load(ctl, GEN);
Atomics.add(ctl, READY, 1);
for (;;) {
  let g: number,
    spins = 0;
  while ((g = Atomics.load(ctl, GEN)) === seen) if (++spins > SPIN) Atomics.wait(ctl, GEN, seen);
  seen = g;
  const phase = Atomics.load(ctl, PHASE);
  if (phase === EXIT) break;
  try {
    if (phase === SETUP) {
      const m = receiveMessageOnPort(port);
      if (!m) throw new Error("no set-up message");
      const { buffer, config, memory } = m.message as {
        buffer: SharedArrayBuffer;
        config: SplitConfig;
        memory: WebAssembly.Memory | null;
      };
      if (config.threads !== threads) throw new Error("a set-up for another number of threads");
      kernel = new SplitKernel(config, memory !== null ? memory.buffer : buffer, memory);
    } else {
      kernel!.run(phase as Phase, t);
    }
  } catch {
    Atomics.store(ctl, ERROR, 1);
  }
  Atomics.add(ctl, DONE, 1);
  Atomics.notify(ctl, DONE);
}
port.close();
