// Reading model files: only regular files, a size cap, no blocking on a FIFO, no endless read of a device.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, openSync, ftruncateSync, closeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MAX_MODEL_BYTES, readModelText } from "../../src/cli/input.js";
import { readModelFile } from "../../src/cli/modelFile.js";
import { ModelError } from "../../src/errors.js";

const tmp = () => mkdtempSync(join(tmpdir(), "ness-input-"));

describe("readModelText", () => {
  it("reads a regular file whole", () => {
    const dir = tmp();
    const text = "kind: network\n# é\n".repeat(10_000); // bigger than one read chunk
    writeFileSync(join(dir, "m.yaml"), text);
    expect(readModelText(join(dir, "m.yaml"))).toBe(text);
  });

  it("refuses a file over the cap from its size, naming both", () => {
    const dir = tmp();
    const fd = openSync(join(dir, "big.yaml"), "w");
    ftruncateSync(fd, MAX_MODEL_BYTES + 1);
    closeSync(fd);
    expect(() => readModelText(join(dir, "big.yaml"))).toThrow(
      "big.yaml: model file is 16777217 bytes; the limit for model files is 16 MB (16777216 bytes)",
    );
    writeFileSync(join(dir, "small.yaml"), "x".repeat(2000));
    expect(() => readModelText(join(dir, "small.yaml"), 1000)).toThrow(/model file is 0\.00191 MB; the limit/);
  });

  it("caps a file whose size reads 0 (/proc) while reading it", () => {
    expect(readModelText("/proc/self/status").length).toBeGreaterThan(0);
    expect(() => readModelText("/proc/self/status", 16)).toThrow(
      /status: model file is larger than .* MB; the limit for model files is/,
    );
  });

  it("refuses a FIFO without blocking, a device, a folder, a missing file and a path through a file", () => {
    const dir = tmp();
    execFileSync("mkfifo", [join(dir, "pipe")]);
    writeFileSync(join(dir, "file"), "x");
    const cases: [string, RegExp][] = [
      [join(dir, "pipe"), /pipe: cannot read model file: it is a named pipe \(FIFO\), not a regular file$/],
      ["/dev/zero", /^\/dev\/zero: cannot read model file: it is a device, not a regular file$/],
      [dir, /cannot read model file: it is a folder, not a regular file$/],
      [join(dir, "nothere.yaml"), /nothere\.yaml: cannot read model file: no such file$/],
      [join(dir, "file", "m.yaml"), /cannot read model file: a folder on its path is a file$/],
    ];
    for (const [path, message] of cases) {
      expect(() => readModelText(path), path).toThrow(ModelError);
      expect(() => readModelText(path), path).toThrow(message);
    }
  });

  it("readModelFile validates what it read", () => {
    const dir = tmp();
    writeFileSync(
      join(dir, "m.yaml"),
      "kind: network\nsites: [a]\nbaths: [{site: a, friction: 1, temperature: 1}]\npinning: 1\n",
    );
    expect(readModelFile(join(dir, "m.yaml")).kind).toBe("network");
  });
});
