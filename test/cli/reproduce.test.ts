// writeReproduction computes the next figure sets while one is written: when a set's computation fails, the sets
// computing ahead are stopped (their signal aborts) and the error is reported at once.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { writeReproduction } from "../../src/cli/studies/reproduce.js";
import type { ReproduceCase, Study } from "../../src/studies/contract.js";

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe("writeReproduction", () => {
  it("stops the sets computing ahead when a set fails, and reports its error", async () => {
    dir = mkdtempSync(join(tmpdir(), "ness-reproduce-"));
    let aheadAborted = false;
    const set = (id: string, compute: ReproduceCase["compute"]): ReproduceCase => ({
      id,
      title: id,
      parameters: () => ({}),
      compute,
      figures: () => [],
    });
    const study = {
      name: "t",
      title: "a test study",
      summary: "three figure sets, the second failing",
      citations: [],
      parameters: z.object({}),
      seeded: false,
      reproduce: [
        set("first", async () => ({ ok: 1 })),
        set("failing", async () => {
          await new Promise((r) => setTimeout(r, 20));
          throw new Error("set two failed");
        }),
        // Computing ahead: finishes only when stopped (a long simulation listening on its signal).
        set(
          "ahead",
          (_p, ctx) =>
            new Promise((_resolve, reject) => {
              ctx.signal?.addEventListener("abort", () => {
                aheadAborted = true;
                reject(new Error("stopped"));
              });
            }),
        ),
      ],
    } as unknown as Study;
    await expect(writeReproduction(study, { outDir: dir, quick: true, log: () => {} })).rejects.toThrow(
      "set two failed",
    );
    expect(aheadAborted).toBe(true);
  });
});
