// The lab's site built once per test run for the test files that need it (test/lab/lab.test.ts serves it to
// Chromium, test/package/pack.test.ts ships it when dist/lab is missing), from the current sources with Vite. Under
// the suite's run folder (TMPDIR, test/setup/tmpdir.ts) the first file to ask builds it while holding a lock folder
// (with its pid, so that a build that died is taken over), the others wait for it; the site appears at once (built
// beside it, then renamed) and goes with the run folder. Outside a suite run (no run folder) each caller builds its
// own copy and removes it.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildLab } from "../../src/cli/commands/lab.js";

/**
 * The lab built into `outDir` by buildLab, what `ness lab` does in a checkout without dist/lab (Vite, minified as
 * `npm run build:web` ships it; minifying costs no measurable CPU beside the build).
 */
async function build(outDir: string): Promise<void> {
  if (!(await buildLab(outDir, () => {})))
    throw new Error("the lab cannot be built here (lab/vite.config.ts or Vite missing)");
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

export interface LabSite {
  /** The folder with the built site (index.html and its assets). */
  folder: string;
  /** Removes the folder when it is this caller's own (a shared one goes with the run folder). */
  dispose(): void;
}

/** The lab's site of this run, built by the first caller; waits at most `timeoutMs` for another's build. */
export async function labSite(timeoutMs: number): Promise<LabSite> {
  const run = process.env.TMPDIR;
  if (!run || !/(^|\/)ness-test-run-[^/]+$/.test(run)) {
    const folder = mkdtempSync(join(tmpdir(), "ness-lab-site-"));
    await build(folder);
    return { folder, dispose: () => rmSync(folder, { recursive: true, force: true }) };
  }
  const folder = join(run, "lab-site");
  const lock = join(run, "lab-site.lock");
  const shared = { folder, dispose: () => {} };
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (existsSync(join(folder, "index.html"))) return shared;
    let mine = true;
    try {
      mkdirSync(lock);
    } catch {
      mine = false;
    }
    if (mine) {
      try {
        writeFileSync(join(lock, "pid"), String(process.pid));
        // built by the holder before us, who released the lock between our two looks
        if (existsSync(join(folder, "index.html"))) return shared;
        const building = mkdtempSync(join(run, "lab-site-building-"));
        await build(building);
        renameSync(building, folder);
        return shared;
      } finally {
        rmSync(lock, { recursive: true, force: true });
      }
    }
    let pid = NaN;
    try {
      pid = Number(readFileSync(join(lock, "pid"), "utf8"));
    } catch {
      // the holder has not written its pid yet (or just released the lock)
    }
    if (Number.isInteger(pid) && pid > 0 && !alive(pid)) rmSync(lock, { recursive: true, force: true });
    if (Date.now() > end) throw new Error(`the lab's site was not built within ${timeoutMs / 1000} s (${lock})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
