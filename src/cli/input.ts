/**
 * Reading model files for the CLI (Node-only): missing or unreadable files become one clear message.
 */
import { readFileSync } from "node:fs";
import { ModelError } from "../errors.js";
import { loadModel, type Model } from "../model/index.js";

export function readModelFile(path: string): Model {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : (err as Error).message;
    throw new ModelError(`cannot read model file: ${why}`, path);
  }
  return loadModel(text, path);
}
