// The lab's site built once per test run for the test files that need it (test/lab/lab.test.ts serves it to
// Chromium, test/package/pack.test.ts ships it when dist/lab is missing), from the current sources with Vite. Under
// the suite's run folder (TMPDIR, test/setup/tmpdir.ts) the first file to ask builds it while holding a lock file
// (sharedBuild below), the others wait for it; the site appears at once (built beside it, then renamed) and goes with
// the run folder. Outside a suite run (no run folder) each caller builds its own copy and removes it.
import { randomBytes } from "node:crypto";
import {
  closeSync,
  existsSync,
  linkSync,
  mkdtempSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
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

/** Who holds a lock: its process, and a token unique to this holding (never reused, unlike a pid). */
export interface LockOwner {
  pid: number;
  token: string;
}

/**
 * Takes the lock file `lock` for this process, or returns null when it is held. Atomic: the owner line is written to
 * a file of our own first, then hard-linked to `lock` (link fails when `lock` exists), so a lock is never seen empty.
 */
export function acquireLock(lock: string): LockOwner | null {
  const owner = { pid: process.pid, token: `${process.pid}-${randomBytes(8).toString("hex")}` };
  const mine = `${lock}.${owner.token}`;
  writeFileSync(mine, `${owner.pid} ${owner.token}\n`);
  try {
    linkSync(mine, lock);
    return owner;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return null;
    throw e;
  } finally {
    unlinkSync(mine);
  }
}

/** The owner of `lock`, or null when there is none (released meanwhile) or it cannot be read. */
export function lockOwner(lock: string): LockOwner | null {
  let text: string;
  try {
    text = readFileSync(lock, "utf8");
  } catch {
    return null;
  }
  const m = /^(\d+) (\S+)\n$/.exec(text);
  return m ? { pid: Number(m[1]), token: m[2] } : null;
}

/**
 * Removes `lock` if `owner` (as read by the caller, maybe a while ago) holds it and its process has died: true when
 * this caller removed it. Of several waiters that read the same dead owner only one wins: each must first create the
 * owner's takeover file with O_EXCL ("wx"), which only one can. A takeover file is never removed (it goes with the
 * run folder), so a waiter that read the dead owner long ago cannot remove the lock of a newer, live holder: that
 * holding has another token, and the dead owner's takeover file exists already.
 */
export function takeOverLock(lock: string, owner: LockOwner): boolean {
  if (alive(owner.pid)) return false;
  try {
    closeSync(openSync(`${lock}.takeover-${owner.token}`, "wx"));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw e;
  }
  // Ours alone to remove: its holder is dead and no other waiter can pass the takeover file of this token.
  rmSync(lock, { force: true });
  return true;
}

/** Releases a lock taken by acquireLock (a lock we hold is ours: only a dead holder's is taken over). */
export function releaseLock(lock: string, owner: LockOwner): void {
  if (lockOwner(lock)?.token === owner.token) rmSync(lock, { force: true });
}

/**
 * The folder `name` in `run`, made by `make(folder)` once for all the callers that share `run` (processes included):
 * the first to take the lock makes it (in a folder beside, renamed when complete), the others wait for it, at most
 * `timeoutMs`; a lock whose holder died is taken over (takeOverLock). Returns the folder.
 */
export async function sharedBuild(
  run: string,
  name: string,
  make: (folder: string) => Promise<void>,
  timeoutMs: number,
  pollMs = 250,
): Promise<string> {
  const folder = join(run, name);
  const lock = join(run, `${name}.lock`);
  const done = () => existsSync(folder); // renamed into place when complete
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (done()) return folder;
    const owner = acquireLock(lock);
    if (owner) {
      try {
        // made by the holder before us, who released the lock between our two looks
        if (done()) return folder;
        const building = mkdtempSync(join(run, `${name}-building-`));
        await make(building);
        renameSync(building, folder);
        return folder;
      } finally {
        releaseLock(lock, owner);
      }
    }
    const holder = lockOwner(lock);
    if (holder && takeOverLock(lock, holder)) continue; // its holder died: try to take the lock at once
    if (Date.now() > end)
      throw new Error(
        `${folder} was not built within ${timeoutMs / 1000} s` +
          (holder ? ` (${lock} is held by process ${holder.pid})` : ""),
      );
    await new Promise((r) => setTimeout(r, pollMs));
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
  return { folder: await sharedBuild(run, "lab-site", build, timeoutMs), dispose: () => {} };
}
