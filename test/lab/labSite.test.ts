// The lock of test/helpers/labSite.ts (the lab's site built once per test run by whichever test file asks first):
// a lock whose holder died is taken over by one waiter only, and never removes a live holder's lock.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { acquireLock, lockOwner, releaseLock, sharedBuild, takeOverLock } from "../helpers/labSite.js";

/** The pid of a process that has ended. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", ""]);
  expect(r.status).toBe(0);
  return r.pid!;
}

describe("the lab site's build lock", () => {
  let run = "";
  let lock = "";
  beforeEach(() => {
    run = mkdtempSync(join(tmpdir(), "ness-lock-"));
    lock = join(run, "site.lock");
  });
  afterEach(() => rmSync(run, { recursive: true, force: true }));

  it("is taken by one caller at a time, and released by its holder", () => {
    const a = acquireLock(lock)!;
    expect(a.pid).toBe(process.pid);
    expect(lockOwner(lock)).toEqual(a);
    expect(acquireLock(lock)).toBeNull();
    expect(takeOverLock(lock, a)).toBe(false); // its holder is alive
    releaseLock(lock, a);
    expect(existsSync(lock)).toBe(false);
    const b = acquireLock(lock)!;
    expect(b.token).not.toBe(a.token);
    releaseLock(lock, a); // not a's any more: stays
    expect(lockOwner(lock)).toEqual(b);
  });

  it("lets one of two waiters that saw the same dead holder take over; the other cannot remove the new lock", () => {
    writeFileSync(lock, `${deadPid()} dead-holding\n`);
    const seenByA = lockOwner(lock)!;
    const seenByB = lockOwner(lock)!;
    expect(seenByA.token).toBe("dead-holding");
    // A removes the dead holder's lock and takes it; B, acting on what it read before, must not remove A's.
    expect(takeOverLock(lock, seenByA)).toBe(true);
    const a = acquireLock(lock)!;
    expect(a).not.toBeNull();
    expect(takeOverLock(lock, seenByB)).toBe(false);
    expect(lockOwner(lock)).toEqual(a);
    expect(acquireLock(lock)).toBeNull();
  });

  it("builds once for concurrent callers after its holder died, and says who holds it when the wait ends", async () => {
    writeFileSync(lock, `${deadPid()} dead-holding\n`);
    let builds = 0;
    const make = async (folder: string) => {
      builds++;
      await new Promise((r) => setTimeout(r, 30));
      writeFileSync(join(folder, "index.html"), "site");
    };
    const folders = await Promise.all([0, 1, 2, 3].map(() => sharedBuild(run, "site", make, 60_000, 5)));
    expect(builds).toBe(1);
    expect(new Set(folders)).toEqual(new Set([join(run, "site")]));
    expect(readFileSync(join(run, "site", "index.html"), "utf8")).toBe("site");
    expect(existsSync(lock)).toBe(false);
    // A live holder that never finishes: the waiter gives up with the lock's holder named.
    const held = acquireLock(join(run, "other.lock"))!;
    await expect(sharedBuild(run, "other", make, 50, 5)).rejects.toThrow(
      new RegExp(`other was not built within 0\\.05 s \\(.*other\\.lock is held by process ${held.pid}\\)`),
    );
    expect(builds).toBe(1);
  });
});
