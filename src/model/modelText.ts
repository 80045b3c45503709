/**
 * Model files' text (YAML, a superset of JSON) into plain data. Apart from src/model/raw.ts so that the yaml library
 * loads only in the commands that parse a text (a study run from the command line parses none).
 * Browser-safe (no file access here: callers pass the text).
 */
import { parse as parseYaml, YAMLParseError } from "yaml";
import { ModelError } from "../errors.js";
import { describeValue } from "./raw.js";

/** Parses YAML (a superset of JSON) into plain data; `source` names the file in messages. */
export function parseModelText(text: string, source = "model"): unknown {
  if (typeof text !== "string")
    throw new ModelError(`expected the model's text (a string), got ${describeValue(text)}`, source);
  if (text.trim() === "") throw new ModelError("the file is empty", source);
  try {
    return parseYaml(text, { prettyErrors: true, uniqueKeys: true });
  } catch (err) {
    if (err instanceof YAMLParseError) {
      const where = err.linePos ? ` (line ${err.linePos[0].line}, column ${err.linePos[0].col})` : "";
      throw new ModelError(`not valid YAML or JSON${where}: ${err.message.split("\n")[0]}`, source);
    }
    throw new ModelError(`could not parse: ${(err as Error).message}`, source);
  }
}
