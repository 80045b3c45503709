// Mutation testing (StrykerJS): `npm run mutate`. Not part of `npm test` or CI: a full run takes hours of CPU.
// It mutates the exact engine and the stochastic engine's probes (the estimators) and runs the tests of the engines
// on each mutant (vitest.mutation.config.ts); the score is the share of mutants some test kills. A run on a part:
//   npm run mutate -- --mutate src/exact/linearSde.ts,src/stochastic/networkProbe.ts
// and its tests (vitest.mutation.config.ts):
//   NESS_MUTATION_TESTS=test/exact/conditioning.test.ts,test/problem npm run mutate -- --mutate src/exact/linearSde.ts
// Reports: the terminal, reports/mutation/mutation.html and mutation.json.
/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutation.config.ts" },
  plugins: ["@stryker-mutator/vitest-runner"],
  mutate: [
    "src/exact/**/*.ts",
    "!src/exact/index.ts",
    "src/stochastic/networkProbe.ts",
    "src/stochastic/particleProbe.ts",
  ],
  coverageAnalysis: "perTest",
  // Mutants of module-level constants need a full test run each: too slow for what they tell.
  ignoreStatic: true,
  concurrency: 2,
  // The instrumented estimators run many times slower than the originals: the first (coverage) run takes minutes.
  dryRunTimeoutMinutes: 60,
  timeoutFactor: 2,
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/mutation.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  thresholds: { high: 80, low: 60, break: null },
  tempDirName: ".stryker-tmp",
  cleanTempDir: true,
};
