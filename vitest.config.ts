import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Temporary folders of every test under one folder of the run, removed at the end (test/setup/tmpdir.ts).
    globalSetup: ["test/setup/tmpdir.ts"],
  },
});
