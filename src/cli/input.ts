/**
 * Reading model files for the CLI (Node-only): only regular files, at most MAX_MODEL_BYTES, never blocking on a
 * named pipe or reading a device forever; missing or unreadable files become one clear message.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { createRequire } from "node:module";
import { ModelError } from "../errors.js";
import { fileKind } from "../io/files.js";
import { MAX_MODEL_BYTES, modelFileSizeProblem } from "../model/limits.js";
import type { Model } from "../model/models.js";
import { validateNetworkShape } from "../model/networkModel.js";
import { validateParticlesShape } from "../model/particlesModel.js";
import { NOT_JSON, parseJsonText, parseModelTextWith, type YamlModule } from "../model/parseText.js";

export { MAX_MODEL_BYTES };

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
    const tooLarge = modelFileSizeProblem(st.size, maxBytes);
    if (tooLarge) throw new ModelError(tooLarge, path);
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
      if (n > maxBytes) throw new ModelError(modelFileSizeProblem(n, maxBytes, false)!, path);
    }
    return Buffer.concat(chunks, n).toString("utf8");
  } finally {
    closeSync(fd);
  }
}

/**
 * readModelFile (modelFile.ts) for the CLI, loading the schema library only when it is needed: a network or
 * particles model of the right shape is validated without it (networkModel.ts, particlesModel.ts: the same model and
 * the same messages), anything else by validateModel (the schemas' import costs about 50-60 ms of a short
 * `ness solve` or `ness simulate`).
 */
export async function loadModelFile(path: string): Promise<Model> {
  const raw = parseModelFile(readModelText(path), path);
  return (
    validateNetworkShape(raw, path) ??
    validateParticlesShape(raw, path) ??
    (await import("../model/models.js")).validateModel(raw, path)
  );
}

/**
 * A model file's text into plain data: a `.json` file through JSON.parse (the YAML parser is not even loaded: about
 * 35 ms of imports, and about 80 ms to parse a 100-site chain), anything else, or a JSON file JSON.parse refuses or
 * that repeats a key, through the YAML parser as loadModel does (same data, same messages).
 */
export function parseModelFile(text: string, path: string): unknown {
  if (/\.json$/i.test(path)) {
    const data = parseJsonText(text);
    if (data !== NOT_JSON) return data;
  }
  // Loaded synchronously, on first use (yaml's Node entry is CommonJS: the same module `import "yaml"` gives)
  return parseModelTextWith(createRequire(import.meta.url)("yaml") as YamlModule, text, path);
}
