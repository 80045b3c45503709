// Output to a closed pipe (`ness --help | head`): ness exits quietly with status 0, no EPIPE stack trace. The reader
// here closes its end before ness writes anything (the worst case: every write fails).
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = new URL("../../", import.meta.url).pathname;
const bin = join(root, "bin", "ness.js");
const built = existsSync(join(root, "dist", "cli", "main.js"));

/** Runs ness with its stdout closed by the reader at once; resolves to the exit code and stderr. */
function runClosed(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.destroy(); // the reader goes away (as `head` does once it has its lines)
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

describe.skipIf(!built)("ness writing to a closed pipe", () => {
  it.each([[["--help"]], [["reproduce", "--help"]], [["solve", "examples/networks/example1-chain.yaml"]]])(
    "ness %j exits 0 without a message",
    async (args) => {
      const { code, stderr } = await runClosed(args);
      expect(stderr).toBe("");
      expect(code).toBe(0);
    },
  );
});
