/**
 * Reading model files for the CLI (Node-only): only regular files, at most MAX_MODEL_BYTES, never blocking on a
 * named pipe or reading a device forever; missing or unreadable files become one clear message.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { ModelError } from "../errors.js";
import { fileKind } from "../io/files.js";
import { loadModel, type Model } from "../model/index.js";

/**
 * The largest model file read: 16 MiB, far above any hand-written network (a 2000-site chain is about 100 kB) or a
 * particle model listing 100 000 initial positions (a few MB), and small enough that parsing it stays well inside
 * the memory of a laptop (a YAML document takes several times its size in memory while parsed).
 */
export const MAX_MODEL_BYTES = 16 * 1024 * 1024;

const mb = (bytes: number) => `${Number((bytes / 1024 / 1024).toPrecision(3))} MB`;

/**
 * The text of a model file. Opened without blocking (O_NONBLOCK: a FIFO with no writer does not hang the open),
 * then refused unless it is a regular file; read up to maxBytes (a file that grows past the cap while read, or a
 * /proc file whose size reads 0, is caught too).
 *
 * @example
 * ```ts
 * import { readModelText } from "ness/node";
 *
 * console.log(readModelText("examples/networks/example1-chain.yaml").includes("kind: network")); // => true
 * ```
 */
export function readModelText(path: string, maxBytes = MAX_MODEL_BYTES): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "no such file"
        : code === "EACCES" || code === "EPERM"
          ? "permission denied"
          : code === "ENOTDIR"
            ? "a folder on its path is a file"
            : code === "ELOOP"
              ? "too many symbolic links"
              : (err as Error).message;
    throw new ModelError(`cannot read model file: ${why}`, path);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) {
      throw new ModelError(`cannot read model file: it is ${fileKind(st)}, not a regular file`, path);
    }
    const cap = `the limit for model files is ${mb(maxBytes)}`;
    if (st.size > maxBytes) {
      const size = mb(st.size) === mb(maxBytes) ? `${st.size} bytes` : mb(st.size);
      throw new ModelError(
        `model file is ${size}; ${mb(st.size) === mb(maxBytes) ? `${cap} (${maxBytes} bytes)` : cap}`,
        path,
      );
    }
    const chunks: Buffer[] = [];
    let n = 0;
    for (;;) {
      const buf = Buffer.alloc(Math.min(Math.max(st.size - n + 1, 65536), 1 << 20, maxBytes + 1 - n));
      let got: number;
      try {
        got = readSync(fd, buf, 0, buf.length, null);
      } catch (err) {
        throw new ModelError(`cannot read model file: ${(err as Error).message}`, path);
      }
      if (got === 0) break;
      chunks.push(buf.subarray(0, got));
      n += got;
      if (n > maxBytes) throw new ModelError(`model file is larger than ${mb(maxBytes)}; ${cap}`, path);
    }
    return Buffer.concat(chunks, n).toString("utf8");
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads and validates a model file (YAML or JSON): a regular file of at most 16 MiB; ModelError naming the file otherwise.
 *
 * @example
 * ```ts
 * import { solveNetwork } from "ness";
 * import { readModelFile } from "ness/node";
 *
 * const state = solveNetwork(readModelFile("examples/networks/example1-chain.yaml"));
 * console.log(state.springs[1].flux > 0); // => true: heat flows from site 2 (bath at 2) to site 3 (bath at 20)
 * ```
 */
export function readModelFile(path: string): Model {
  return loadModel(readModelText(path), path);
}
