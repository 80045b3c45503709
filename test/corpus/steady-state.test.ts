// `ness simulate` and `ness solve` on the same linear networks without a (unique) steady state must refuse them with
// the same diagnosis (simulate used to swallow it and print "reliable" numbers). The models are the corpus's
// model-no-steady-state-* cases and a few more.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { parse } from "yaml";
import { runCli } from "../helpers/cli.js";

const caseDir = new URL("./cases/", import.meta.url).pathname;
const models: [string, string][] = readdirSync(caseDir)
  .filter((f) => f.startsWith("model-no-steady-state-") || f.startsWith("model-decoupled-"))
  .map((f) => {
    const c = parse(readFileSync(join(caseDir, f), "utf8")) as { files: Record<string, string> };
    return [f, Object.values(c.files)[0]];
  });
models.push(
  [
    "overdamped, unconfined",
    "kind: network\ndynamics: overdamped\nsites: 3\nsprings: [{between: [1, 2], stiffness: 1}]\npinning: {3: 1}\nbaths: [{site: 1, friction: 1, temperature: 1}, {site: 2, friction: 1, temperature: 2}, {site: 3, friction: 1, temperature: 1}]\n",
  ],
  [
    "two groups, one without a bath",
    "kind: network\nsites: 4\npinning: 1\nsprings: [{between: [1, 2], stiffness: 1}, {between: [3, 4], stiffness: 1}]\nbaths: [{site: 1, friction: 1, temperature: 1}]\n",
  ],
  [
    "masses make a mode decoupled",
    "kind: network\nsites: [h, a, b]\nmasses: {a: 2, b: 2}\npinning: {h: 1, a: 2, b: 2}\nsprings: [{between: [h, a], stiffness: 1}, {between: [h, b], stiffness: 1}]\nbaths: [{site: h, friction: 1, temperature: 1}]\n",
  ],
);

const dir = mkdtempSync(join(tmpdir(), "ness-steady-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("simulate gives the same diagnosis as solve", () => {
  models.forEach(([name, text], k) => {
    it(
      name,
      async () => {
        const file = join(dir, `m${k}.yaml`);
        writeFileSync(file, text);
        try {
          const solve = await runCli("solve", file);
          const simulate = await runCli(
            "simulate",
            file,
            "--time",
            "10",
            "--dt",
            "0.01",
            "--seed",
            "1",
            "--no-progress",
          );
          expect(solve.code).toBe(1);
          expect(simulate.code).toBe(1);
          expect(simulate.stdout).toBe("");
          expect(solve.stderr.trim()).toMatch(
            new RegExp(
              `^ness: ${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: (the network is not confined|no steady state|no unique steady state)`,
            ),
          );
          expect(simulate.stderr.trim()).toBe(solve.stderr.trim());
        } finally {
          vi.restoreAllMocks();
        }
      },
      20000,
    );
  });
});
