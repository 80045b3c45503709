// The tests run on each mutant by `npm run mutate` (stryker.config.mjs): those of the engines and of the layers
// just above them, in process (tests of the CLI run the built dist/ and would not see a mutant). A run on a part of
// the code can name its tests: NESS_MUTATION_TESTS=test/exact/conditioning.test.ts,test/problem npm run mutate -- ...
// and pick tests in them by name (a regular expression, as vitest's -t): NESS_MUTATION_TEST_NAMES="fused kernel|resolving".
import { defineConfig } from "vitest/config";

const chosen = process.env.NESS_MUTATION_TESTS?.split(",").filter((s) => s.length > 0);
const names = process.env.NESS_MUTATION_TEST_NAMES;

export default defineConfig({
  test: {
    include: chosen?.map((s) => (s.endsWith(".ts") ? s : `${s}/**/*.test.ts`)) ?? [
      "test/exact/**/*.test.ts",
      "test/stochastic/**/*.test.ts",
      "test/problem/**/*.test.ts",
    ],
    exclude: ["test/stochastic/cli.test.ts"],
    ...(names ? { testNamePattern: names } : {}),
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
