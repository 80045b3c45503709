// The record of the last build that lets scripts/checks.js skip rebuilding a fresh dist/ (scripts/build-stamp.js): on
// a small copy of the repository's layout, every kind of edit that makes dist/ differ from what the build would write
// now must make it stale, and only what the build does not read (dist/lab, files outside its inputs) may leave it
// fresh.
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { beginBuild, checkBuild, endBuild } from "../../scripts/build-stamp.js";

const repo = new URL("../../", import.meta.url).pathname;
const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

/** A root with the build's inputs and a built dist/ (recorded), each file small. */
function built(): string {
  const root = mkdtempSync(join(tmpdir(), "ness-build-stamp-"));
  roots.push(root);
  const write = (p: string, text: string) => {
    mkdirSync(join(root, p, ".."), { recursive: true });
    writeFileSync(join(root, p), text);
  };
  write("src/index.ts", "export const a = 1;\n");
  write("src/sub/b.ts", "export const b = 2;\n");
  write("tsconfig.json", "{}\n");
  write("tsconfig.build.json", "{}\n");
  write("package.json", '{"type":"module"}\n');
  write("package-lock.json", "{}\n");
  write("node_modules/typescript/package.json", '{"version":"5.0.0"}\n');
  for (const f of ["scripts/clean-dist.js", "scripts/build-stamp.js"]) cpSync(join(repo, f), join(root, f));
  beginBuild(root);
  write("dist/index.js", "export const a = 1;\n");
  write("dist/sub/b.js", "export const b = 2;\n");
  write("dist/lab/index.html", "<html></html>\n");
  expect(endBuild(root)).toBe(true);
  return root;
}

describe("the record of the last build (scripts/build-stamp.js)", () => {
  it("finds a recorded build fresh, and still fresh after an edit of the lab's site or of a file it does not read", () => {
    const root = built();
    expect(checkBuild(root)).toEqual({ fresh: true });
    writeFileSync(join(root, "dist/lab/index.html"), "<html>other</html>\n");
    writeFileSync(join(root, "README.md"), "text\n");
    expect(checkBuild(root)).toEqual({ fresh: true });
  });

  it.each([
    ["a source edited", "src/sub/b.ts", "export const b = 3;\n", "sources changed"],
    ["a source added", "src/sub/c.ts", "export const c = 1;\n", "sources changed"],
    ["a tsconfig edited", "tsconfig.build.json", '{"compilerOptions":{}}\n', "sources changed"],
    ["package.json edited", "package.json", '{"type":"commonjs"}\n', "sources changed"],
    ["the lock file edited", "package-lock.json", '{"a":1}\n', "sources changed"],
    ["the compiler upgraded", "node_modules/typescript/package.json", '{"version":"5.0.1"}\n', "sources changed"],
    ["the clean step edited", "scripts/clean-dist.js", "// other\n", "sources changed"],
    ["an output edited", "dist/sub/b.js", "export const b = 3;\n", "dist/ changed"],
    ["an output added", "dist/extra.js", "export {};\n", "dist/ changed"],
  ])("finds dist/ stale after %s", (_what, path, text, reason) => {
    const root = built();
    writeFileSync(join(root, path), text);
    expect(checkBuild(root)).toEqual({ fresh: false, reason: expect.stringContaining(reason) });
  });

  it("finds dist/ stale after a source or an output removed, and with no record", () => {
    let root = built();
    rmSync(join(root, "src/sub/b.ts"));
    expect(checkBuild(root)).toMatchObject({ fresh: false, reason: expect.stringContaining("sources changed") });
    root = built();
    rmSync(join(root, "dist/sub/b.js"));
    expect(checkBuild(root)).toMatchObject({ fresh: false, reason: expect.stringContaining("dist/ changed") });
    root = built();
    rmSync(join(root, "node_modules/.cache/ness/build-stamp.json"));
    expect(checkBuild(root)).toEqual({ fresh: false, reason: "no record of a build" });
  });

  it("records nothing when a source changes during the build, and forgets the record when a build begins", () => {
    let root = built();
    beginBuild(root);
    expect(checkBuild(root)).toEqual({ fresh: false, reason: "no record of a build" });
    writeFileSync(join(root, "src/index.ts"), "export const a = 2;\n");
    expect(endBuild(root)).toBe(false);
    expect(checkBuild(root).fresh).toBe(false);
    root = built();
    // a build that failed (tsc's error stops `npm run build` before the record is written) leaves none
    beginBuild(root);
    writeFileSync(join(root, "dist/index.js"), "export const a = 1;\n");
    expect(checkBuild(root).fresh).toBe(false);
  });

  it("records nothing for a build when a second build began in the checkout before it ended (and cleaned dist/)", () => {
    const root = built();
    beginBuild(root, 1111); // build A
    beginBuild(root, 2222); // build B, which removes dist/ (clean-dist.js) and is then stopped
    rmSync(join(root, "dist/index.js"));
    rmSync(join(root, "dist/sub"), { recursive: true });
    expect(endBuild(root, [1111])).toBe(false); // A's end step: the note is B's
    expect(checkBuild(root).fresh).toBe(false);
    // B's own end, once its output is written again, records it.
    writeFileSync(join(root, "dist/index.js"), "export const a = 1;\n");
    mkdirSync(join(root, "dist/sub"));
    writeFileSync(join(root, "dist/sub/b.js"), "export const b = 2;\n");
    expect(endBuild(root, [2222])).toBe(true);
    expect(checkBuild(root)).toEqual({ fresh: true });
  });

  it("records nothing when a source has no output", () => {
    const root = built();
    beginBuild(root);
    rmSync(join(root, "dist/sub/b.js"));
    expect(endBuild(root)).toBe(false);
    expect(checkBuild(root).fresh).toBe(false);
  });

  it("follows a symbolic link to a folder under src/ (not into a folder it is in)", () => {
    const root = built();
    symlinkSync("sub", join(root, "src/alias"));
    symlinkSync(".", join(root, "src/sub/loop"));
    expect(checkBuild(root)).toEqual({ fresh: false, reason: expect.stringContaining("sources changed") });
    beginBuild(root);
    expect(endBuild(root)).toBe(true);
    expect(checkBuild(root)).toEqual({ fresh: true });
    writeFileSync(join(root, "src/sub/b.ts"), "export const b = 3;\n");
    expect(checkBuild(root)).toEqual({ fresh: false, reason: expect.stringContaining("sources changed") });
  });

  it("says TypeScript is missing instead of throwing, and a build can still begin", () => {
    const root = built();
    rmSync(join(root, "node_modules/typescript"), { recursive: true });
    expect(checkBuild(root)).toEqual({ fresh: false, reason: expect.stringContaining("no TypeScript") });
    expect(() => beginBuild(root)).not.toThrow();
  });
});
