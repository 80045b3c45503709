// Atomic file writes and CSV serialisation.
import { spawn } from "node:child_process";
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
  mkdirSync,
  symlinkSync,
  utimesSync,
} from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
  checkOutputPath,
  FileError,
  removeStaleTempFiles,
  STALE_TEMP_AGE_MS,
  tableToCsv,
  writeCsv,
  writeFileAtomic,
} from "../../src/io/files.js";

const root = new URL("../../", import.meta.url).pathname;
const built = existsSync(path.join(root, "dist", "io", "files.js"));

const tmp = () => mkdtempSync(path.join(tmpdir(), "ness-io-"));

describe("tableToCsv", () => {
  it("writes numbers with full precision and quotes strings when needed", () => {
    const csv = tableToCsv({
      columns: ["name", "x"],
      rows: [
        ["a,b", 0.1 + 0.2],
        ['say "hi"', -1e-300],
      ],
    });
    expect(csv).toBe('name,x\n"a,b",0.30000000000000004\n"say ""hi""",-1e-300\n');
  });

  it("refuses NaN and infinities, naming column and row", () => {
    expect(() =>
      tableToCsv({
        columns: ["t", "flux"],
        rows: [
          [1, 2],
          [2, NaN],
        ],
      }),
    ).toThrow(/NaN.*column "flux", row 1/);
    expect(() => tableToCsv({ columns: ["t"], rows: [[Infinity]] })).toThrow(/Infinity.*column "t", row 0/);
  });

  it("refuses ragged rows", () => {
    expect(() => tableToCsv({ columns: ["a", "b"], rows: [[1]] })).toThrow(/row 0 has 1 values/);
  });
});

describe("writeFileAtomic", () => {
  it("creates parent directories and leaves no temp file", async () => {
    const dir = tmp();
    const file = path.join(dir, "a", "b", "out.txt");
    await writeFileAtomic(file, "hello");
    expect(readFileSync(file, "utf8")).toBe("hello");
    expect(readdirSync(path.dirname(file))).toEqual(["out.txt"]);
    await writeFileAtomic(file, new Uint8Array([104, 105]));
    expect(readFileSync(file, "utf8")).toBe("hi");
    await writeFileAtomic(file, ["a", "b", new Uint8Array([99])]);
    expect(readFileSync(file, "utf8")).toBe("abc");
  });

  it("leaves neither a partial file nor a temp file when producing the data fails", async () => {
    const dir = tmp();
    const file = path.join(dir, "out.csv");
    function* failing(): Generator<string> {
      yield "partial,";
      throw new Error("data getter failed");
    }
    await expect(writeFileAtomic(file, failing())).rejects.toThrow("data getter failed");
    expect(readdirSync(dir)).toEqual([]);
    // An existing file keeps its old content.
    writeFileSync(file, "old");
    await expect(writeFileAtomic(file, failing())).rejects.toThrow("data getter failed");
    expect(readFileSync(file, "utf8")).toBe("old");
    expect(readdirSync(dir)).toEqual(["out.csv"]);
  });

  it("removes the temp file when the final rename fails", async () => {
    const dir = tmp();
    const target = path.join(dir, "target");
    mkdirSync(path.join(target, "occupied"), { recursive: true }); // renaming a file onto a non-empty dir fails
    await expect(writeFileAtomic(target, "data")).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(["target"]);
    expect(readdirSync(target)).toEqual(["occupied"]);
  });

  it("fails cleanly when the parent is not a directory", async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, "file"), "x");
    await expect(writeFileAtomic(path.join(dir, "file", "out.txt"), "data")).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(["file"]);
  });
});

describe("writeCsv", () => {
  it("writes the CSV, and nothing when the table has a NaN", async () => {
    const dir = tmp();
    await writeCsv(path.join(dir, "ok.csv"), { columns: ["x"], rows: [[1.5]] });
    expect(readFileSync(path.join(dir, "ok.csv"), "utf8")).toBe("x\n1.5\n");
    await expect(writeCsv(path.join(dir, "bad.csv"), { columns: ["x"], rows: [[NaN]] })).rejects.toThrow(/column "x"/);
    expect(existsSync(path.join(dir, "bad.csv"))).toBe(false);
    expect(readdirSync(dir)).toEqual(["ok.csv"]);
  });
});

/** A PID that is not running (the largest PID the kernel would hand out is far below it). */
const DEAD_PID = 2 ** 22 + 12345;

describe("stale temp files", () => {
  it("removes ours whose process is gone or that are older than a day; keeps everything else", () => {
    const dir = tmp();
    const names = {
      dead: `.out.csv.${DEAD_PID}.0123456789ab.tmp`,
      alive: ".out.csv.1.0123456789ab.tmp", // PID 1 is always running
      mine: `.out.csv.${process.pid}.0123456789ab.tmp`,
      oldAlive: ".fig.png.1.abcdefabcdef.tmp",
      otherTool: ".out.csv.tmp",
      shortHex: `.out.csv.${DEAD_PID}.abc.tmp`,
      noDot: `out.csv.${DEAD_PID}.0123456789ab.tmp`,
      upperHex: `.out.csv.${DEAD_PID}.0123456789AB.tmp`,
      result: "out.csv",
    };
    for (const n of Object.values(names)) writeFileSync(path.join(dir, n), "x");
    const folder = `.sub.${DEAD_PID}.0123456789ab.tmp`;
    mkdirSync(path.join(dir, folder)); // a folder with our name pattern: not ours to remove
    const link = `.link.${DEAD_PID}.0123456789ab.tmp`;
    symlinkSync(path.join(dir, "out.csv"), path.join(dir, link)); // a symbolic link: not ours either
    const old = (Date.now() - STALE_TEMP_AGE_MS - 60_000) / 1000;
    utimesSync(path.join(dir, names.oldAlive), old, old);
    const removed = removeStaleTempFiles(dir).sort();
    expect(removed).toEqual([names.dead, names.oldAlive].sort());
    const left = readdirSync(dir).sort();
    expect(left).toEqual(
      [
        names.alive,
        names.mine,
        names.otherTool,
        names.shortHex,
        names.noDot,
        names.upperHex,
        names.result,
        folder,
        link,
      ].sort(),
    );
  });

  it("the first write into a folder cleans it; a missing folder is no error", async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, `.a.svg.${DEAD_PID}.ffffffffffff.tmp`), "partial");
    await writeFileAtomic(path.join(dir, "b.svg"), "<svg/>");
    expect(readdirSync(dir)).toEqual(["b.svg"]);
    expect(removeStaleTempFiles(path.join(dir, "nothere"))).toEqual([]);
  });

  it.skipIf(!built)(
    "a process killed in the middle of a write leaves a temp file; the next write there removes it",
    { timeout: 30_000 },
    async () => {
      const dir = tmp();
      // A child writes chunks that never end, then is killed with SIGKILL (no handler, no exit hook runs).
      const script = `
      import { writeFileAtomic } from ${JSON.stringify(path.join(root, "dist", "io", "files.js"))};
      async function* forever() { yield "a,b\\n"; console.log("writing"); for (;;) { await new Promise((r) => setTimeout(r, 50)); yield "1,2\\n"; } }
      await writeFileAtomic(${JSON.stringify(path.join(dir, "data.csv"))}, forever());
    `;
      const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
        stdio: ["ignore", "pipe", "inherit"],
      });
      await new Promise<void>((resolve) => child.stdout.on("data", () => resolve()));
      child.kill("SIGKILL");
      await new Promise((resolve) => child.on("close", resolve));
      const left = readdirSync(dir);
      expect(left).toHaveLength(1);
      expect(left[0]).toMatch(new RegExp(`^\\.data\\.csv\\.${child.pid}\\.[0-9a-f]{12}\\.tmp$`));
      await writeFileAtomic(path.join(dir, "other.csv"), "x\n1\n");
      expect(readdirSync(dir)).toEqual(["other.csv"]);
    },
  );
});

describe("checkOutputPath", () => {
  it("accepts a new file in an existing or missing folder without creating anything", () => {
    const dir = tmp();
    expect(checkOutputPath(path.join(dir, "x.png"), "--figure", "file")).toBe(path.join(dir, "x.png"));
    expect(checkOutputPath(path.join(dir, "a", "b", "x.png"), "--figure", "file")).toBe(
      path.join(dir, "a", "b", "x.png"),
    );
    expect(checkOutputPath(path.join(dir, "sub", "..", "x.png"), "--figure", "file")).toBe(path.join(dir, "x.png"));
    expect(checkOutputPath(path.join(dir, "new", "out"), "--out", "folder")).toBe(path.join(dir, "new", "out"));
    expect(checkOutputPath(dir, "--out", "folder")).toBe(dir);
    writeFileSync(path.join(dir, "old.csv"), "x");
    expect(checkOutputPath(path.join(dir, "old.csv"), "--csv", "file")).toBe(path.join(dir, "old.csv"));
    expect(readdirSync(dir)).toEqual(["old.csv"]);
  });

  it("refuses, naming the option: empty, a kernel file system, the wrong type, a file in the way", () => {
    const dir = tmp();
    writeFileSync(path.join(dir, "file"), "x");
    mkdirSync(path.join(dir, "folder"));
    const cases: [string, "file" | "folder", RegExp][] = [
      ["", "file", /^--x needs a file name, got ''$/],
      ["  ", "folder", /^--x needs a folder name/],
      ["/proc/x", "folder", /^--x \/proc\/x: \/proc is a kernel file system/],
      ["/sys/kernel/x.csv", "file", /\/sys is a kernel file system/],
      [path.join(dir, "file"), "folder", /exists and is a regular file, not a folder/],
      [path.join(dir, "folder"), "file", /exists and is a folder, not a regular file/],
      [path.join(dir, "folder") + "/", "file", /names a folder; give a file name/],
      [path.join(dir, "file", "x.png"), "file", /file is a regular file, not a folder/],
      [path.join(dir, "file", "a", "b"), "folder", /file is a regular file, not a folder/],
      ["/dev/null", "file", /exists and is a device, not a regular file/],
    ];
    for (const [target, kind, message] of cases) {
      let err: unknown;
      try {
        checkOutputPath(target, "--x", kind);
      } catch (e) {
        err = e;
      }
      expect(err, target).toBeInstanceOf(FileError);
      expect((err as Error).message, target).toMatch(message);
    }
    expect(readdirSync(dir).sort()).toEqual(["file", "folder"]);
  });

  it("refuses a folder reached through a link into /proc", () => {
    const dir = tmp();
    symlinkSync("/proc/self", path.join(dir, "proc"));
    expect(() => checkOutputPath(path.join(dir, "proc", "x.csv"), "--csv", "file")).toThrow(
      /is on \/proc, a kernel file system/,
    );
  });

  it("writeFileAtomic refuses /proc and /sys itself", async () => {
    await expect(writeFileAtomic("/proc/ness-test", "x")).rejects.toThrow(/kernel file system/);
  });
});
