/**
 * Model files' text (YAML, a superset of JSON) into plain data. Apart from src/model/raw.ts so that the yaml library
 * loads only in the commands that parse a text (a study run from the command line parses none; the CLI's model files
 * load it through src/cli/input.ts only when a file is not plain JSON). Browser-safe (no file access here: callers
 * pass the text).
 */
import * as yaml from "yaml";
import { parseModelTextWith } from "./parseText.js";

/** Parses YAML (a superset of JSON) into plain data; `source` names the file in messages. */
export function parseModelText(text: string, source = "model"): unknown {
  return parseModelTextWith(yaml, text, source);
}
