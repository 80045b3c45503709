// Global set-up of the test suite: every test file (and every process it spawns) gets its temporary folders under
// one folder of this run (TMPDIR, which os.tmpdir() reads on every call), removed when the run ends, so the suite
// leaves nothing in the system's temporary folder whatever a test forgets to clean up.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default function setup(): () => void {
  // vitest runs the global set-up once per project: the first call makes the folder, later ones keep it.
  if (process.env.TMPDIR && /(^|\/)ness-test-run-[^/]+$/.test(process.env.TMPDIR)) return () => {};
  const root = mkdtempSync(join(tmpdir(), "ness-test-run-"));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(root, { recursive: true, force: true });
  };
}
