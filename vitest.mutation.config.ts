// The tests run on each mutant by `npm run mutate` (stryker.config.mjs): those of the engines and of the layers
// just above them, in process (tests of the CLI run the built dist/ and would not see a mutant).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/exact/**/*.test.ts", "test/stochastic/**/*.test.ts", "test/problem/**/*.test.ts"],
    exclude: ["test/stochastic/cli.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
