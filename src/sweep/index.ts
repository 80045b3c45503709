/**
 * Parameter sweeps (browser-safe part): specs, axes, field paths, point keys, and the compute adapters. The store,
 * worker pool, queue and command are Node-only (src/io/sweepStore.ts, src/workers/sweep*.ts, src/queue, src/cli).
 */
export * from "./axes.js";
export * from "./compute.js";
export * from "./evaluate.js";
export * from "./key.js";
export * from "./paths.js";
export * from "./spec.js";
export * from "./plot.js";
