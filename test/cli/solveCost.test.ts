// `ness solve`'s cost gate (src/cli/commands/solveGate.ts): the estimate in the method's reason, the one-line
// refusal over the limit and --force, the cap of the default evaluation budget, and no progress in --json's stdout.
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ModelError } from "../../src/errors.js";
import { gateSolve } from "../../src/cli/commands/solveGate.js";
import type { SolveCost } from "../../src/exact/solveCost.js";
import { validateNetwork } from "../../src/model/network.js";
import { runCli as run } from "../helpers/cli.js";

const MODEL = `kind: network
sites: [a, b, c]
pinning: 1
springs: [{between: [a, b], stiffness: 1}, {between: [b, c], stiffness: 1}]
baths: [{site: a, friction: 1, temperature: 2}, {site: c, friction: 1, temperature: 1}]
`;

describe("ness solve: estimated cost", () => {
  it("refuses a solve over the limit in one line, writes nothing, and runs it with --force", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ness-cost-"));
    const file = join(dir, "m.yaml");
    writeFileSync(file, MODEL);
    const args = ["solve", file, "--method", "transmission", "--max-evaluations", "1000000000000"];
    const refused = await run(...args, "--figure", join(dir, "net.svg"));
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split("\n")).toHaveLength(1);
    expect(refused.stderr).toMatch(
      /^ness: this solve is estimated at the frequency integrals .* at most [\d.]+ h \(the budget of 1000000000000 evaluations\), over the limit of 10 min: .*or pass --force$/m,
    );
    expect(refused.stdout).toBe("");
    expect(readdirSync(dir)).toEqual(["m.yaml"]);

    const forced = await run(...args, "--force", "--json");
    expect(forced.code, forced.stderr).toBe(0);
    const j = JSON.parse(forced.stdout); // nothing but the document on stdout
    expect(j.method).toBe("transmission");
    expect(j.methodReason).toMatch(/^asked for; estimated cost: the frequency integrals .*at most/);
    expect(j.quadratureError).toBeLessThan(1e-8);
    // The cost line of a long solve comes only after two seconds of quadrature (after any refusal): not here; no
    // progress line either (not a terminal).
    expect(forced.stderr).toBe("");
  });

  it("states the estimate in auto's reason for every method", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ness-cost-"));
    const file = join(dir, "m.yaml");
    writeFileSync(file, MODEL);
    const dense = JSON.parse((await run("solve", file, "--json")).stdout);
    expect(dense.methodReason).toMatch(/^auto: 3 sites: .*; estimated cost: the dense Lyapunov solve under 0\.01 s$/);
    const modal = JSON.parse((await run("solve", file, "--json", "--method", "modal")).stdout);
    expect(modal.methodReason).toMatch(/^asked for; estimated cost: the modal method under 0\.01 s$/);
    const tr = await run("solve", file, "--method", "transmission");
    expect(tr.stdout).toMatch(/method: transmission .*estimated cost: the frequency integrals .* measured\), at most/);
  });

  it("caps the default evaluation budget to the limit (not with --force), refuses an explicit budget over it", () => {
    const model = validateNetwork({ kind: "network", ...parse() });
    const fake = (c: Partial<SolveCost>) => (): SolveCost => ({
      method: "transmission",
      seconds: 10,
      maxSeconds: 2 + 5e6 * 6e-4,
      budget: 5e6,
      secondsPerEvaluation: 6e-4,
      evaluations: 1e4,
      text: "the frequency integrals about 10 s",
      ...c,
    });
    const capped = gateSolve(model, "transmission", {}, false, fake({ seconds: 90 }));
    // 598 s of the limit left after the 2 s outside the quadrature, at 0.6 ms an evaluation.
    expect(capped.maxEvaluations).toBe(Math.floor(598 / 6e-4));
    expect(capped.reason).toMatch(/budget capped at 996666 evaluations to fit the limit of 10 min \(--force lifts/);
    expect(capped.announce).toBe(`ness: estimated cost: ${capped.reason.replace("estimated cost: ", "")}`);

    expect(gateSolve(model, "transmission", {}, false, fake({})).announce).toBeUndefined(); // expected 10 s
    const forced = gateSolve(model, "transmission", {}, true, fake({}));
    expect(forced.maxEvaluations).toBeUndefined();
    const own = gateSolve(model, "transmission", { maxEvaluations: 5000 }, false, fake({ maxSeconds: 5 }));
    expect(own.maxEvaluations).toBe(5000);

    // An expected time over the limit: the default budget is capped, not refused (the solve's own refusals first).
    expect(gateSolve(model, "transmission", {}, false, fake({ seconds: 700 })).maxEvaluations).toBe(996666);
    expect(() => gateSolve(model, "lyapunov", {}, false, fake({ method: "lyapunov", seconds: 700 }))).toThrow(
      ModelError,
    );
    expect(() => gateSolve(model, "transmission", {}, true, fake({ seconds: 700 }))).not.toThrow();
    expect(() => gateSolve(model, "transmission", { maxEvaluations: 1e7 }, false, fake({ maxSeconds: 6002 }))).toThrow(
      /over the limit of 10 min: use --fluxes-only/,
    );
  });
});

function parse() {
  return {
    sites: ["a", "b", "c"],
    pinning: 1,
    springs: [
      { between: ["a", "b"], stiffness: 1 },
      { between: ["b", "c"], stiffness: 1 },
    ],
    baths: [
      { site: "a", friction: 1, temperature: 2 },
      { site: "c", friction: 1, temperature: 1 },
    ],
  };
}
