// Runs the CLI in-process on an argument list and captures what it prints (console and direct stream writes).
import { vi } from "vitest";
import { main } from "../../src/cli/main.js";

export async function runCli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((...a) => void out.push(a.join(" ")));
  const error = vi.spyOn(console, "error").mockImplementation((...a) => void err.push(a.join(" ")));
  const w = vi.spyOn(process.stderr, "write").mockImplementation((s) => (err.push(String(s)), true));
  const w2 = vi.spyOn(process.stdout, "write").mockImplementation((s) => (out.push(String(s)), true));
  try {
    const code = await main(["node", "ness", ...args]);
    return { code, stdout: out.join("\n"), stderr: err.join("\n") };
  } finally {
    log.mockRestore();
    error.mockRestore();
    w.mockRestore();
    w2.mockRestore();
  }
}
