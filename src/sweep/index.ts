/**
 * Parameter sweeps (browser-safe part): specs, axes, field paths, point keys, and the compute adapters. The store,
 * worker pool, queue and command are Node-only (src/io/sweepStore.ts, src/workers/sweep*.ts, src/queue, src/cli).
 */
import { STUDIES } from "../studies/catalog.js";
import { provideStudies } from "./studyCompute.js";

export * from "./axes.js";
export * from "./compute.js";
export * from "./evaluate.js";
export * from "./key.js";
export * from "./paths.js";
export * from "./spec.js";
export * from "./plot.js";
export { loadStudies, provideStudies } from "./studyCompute.js";

// The library's sweeps may name any study of the catalog (the CLI loads it only for a study base).
provideStudies(STUDIES);
