/**
 * Opt-in long test (`npm run test:long`; not part of `npm test`: about 16 CPU-s, the AssemblyScript compiler): every
 * generated WebAssembly file compiled again from asm/ by `node scripts/build-wasm.js --check` is the committed text to
 * the byte. `npm test` checks each file's fingerprint of its inputs instead (test/linalg/wasm.test.ts, no compiling);
 * this catches what a fingerprint cannot: a compiler that gives other bytes for the same inputs and versions.
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { GENERATED } from "../../scripts/wasm-fingerprint.js";

describe("the generated WebAssembly files compiled again", () => {
  it("are the committed ones, every one", () => {
    const r = spawnSync(process.execPath, ["scripts/build-wasm.js", "--check"], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(GENERATED.length);
    for (const { output } of GENERATED) expect(lines.some((l) => l.endsWith(`/${output} is up to date`))).toBe(true);
  });
});
