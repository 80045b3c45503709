/**
 * readModelFile: a model file read and validated (Node-only; the library's `ness/node` entry). Apart from input.ts so
 * that the CLI's reading helpers do not load the model schemas (commands that can do without them use
 * loadModelFile).
 */
import { validateModel, type Model } from "../model/models.js";
import { parseModelFile, readModelText } from "./input.js";

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
  return validateModel(parseModelFile(readModelText(path), path), path);
}
