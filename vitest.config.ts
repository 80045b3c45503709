import { defineConfig } from "vitest/config";

/**
 * Test files that only call the library in process (no CLI, no spawned process, no spies on the console, no
 * environment changes): they share their worker's module cache (isolate: false), so src/, zod and the figure stack
 * are loaded once per worker instead of once per file (a third of these files' CPU time). Every other file runs in a
 * fresh process of its own.
 */
const SHARED = [
  "test/architecture.test.ts",
  "test/exact/**/*.test.ts",
  "test/linalg/**/*.test.ts",
  "test/model/**/*.test.ts",
  "test/problem/**/*.test.ts",
  "test/figures/**/*.test.ts",
  "test/io/render.test.ts",
  "test/io/numberText.test.ts",
  "test/stochastic/**/*.test.ts",
  "test/corpus/library*.test.ts",
  "test/sweep/spec.test.ts",
  "test/studies/**/*.test.ts",
  // in process too, in folders whose other files are not: the lab's documents (lab/src's pure functions), the test
  // helpers' own tests
  "test/special/elementary.test.ts",
  "test/verify/bondedParticles.test.ts",
  "test/helpers/arrays.test.ts",
  "test/io/trajectory.test.ts",
  "test/sweep/portable-grid.test.ts",
  "test/lab/documents.test.ts",
];
/** ... except these (the CLI in process, spawned processes, worker pools of their own). */
const ISOLATED_AMONG_SHARED = [
  "test/linalg/wasm.test.ts",
  // switches the linear algebra to its JavaScript path for the whole process (a shared worker would run every file
  // after it without the WebAssembly kernels)
  "test/linalg/js-path.test.ts",
  "test/linalg/lyapunovKernel.test.ts",
  "test/stochastic/cli.test.ts",
  "test/stochastic/webPool.test.ts",
  "test/studies/**/cli.test.ts",
  "test/studies/**/trust.test.ts",
  "test/studies/contract.test.ts",
  "test/studies/workers.test.ts",
  "test/studies/energy-correlations/defaults.test.ts",
  "test/studies/energy-correlations/single.test.ts",
];

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Temporary folders of every test under one folder of the run, removed at the end (test/setup/tmpdir.ts).
    globalSetup: ["test/setup/tmpdir.ts"],
    // Two files at once on a 2-core machine (vitest's default leaves a core idle: many files wait on processes).
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: "shared", include: SHARED, exclude: ISOLATED_AMONG_SHARED, isolate: false },
      },
      { extends: true, test: { name: "isolated", include: ["test/**/*.test.ts"], exclude: SHARED } },
      { extends: true, test: { name: "isolated-too", include: ISOLATED_AMONG_SHARED } },
    ],
  },
});
