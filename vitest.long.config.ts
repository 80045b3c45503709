import { defineConfig } from "vitest/config";

/**
 * The opt-in long tests (`npm run test:long`): physics that takes CPU-minutes to decide, run by the CLI as a user
 * would. Not part of `npm test` (CI's budget); each file says what it costs.
 */
export default defineConfig({
  test: {
    include: ["test/long/**/*.long-test.ts"],
    testTimeout: 5_400_000,
    pool: "forks",
    maxWorkers: 1,
  },
});
