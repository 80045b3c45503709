/**
 * Model texts into plain data without importing a parser library: the YAML path takes the yaml module as an argument
 * (src/model/modelText.ts passes it for the library; the CLI loads it only when a file needs it), and JSON texts have a
 * fast path through JSON.parse that gives exactly what the YAML parser gives, or says it cannot (then the YAML parser
 * runs and produces its data or its error message as before). Browser-safe.
 */
import type * as Yaml from "yaml";
import { ModelError } from "../errors.js";
import { describeValue } from "./raw.js";

/** The parts of the yaml module used here. */
export type YamlModule = Pick<typeof Yaml, "parse" | "YAMLParseError">;

/** Parses YAML (a superset of JSON) into plain data with the given yaml module; `source` names the file in messages. */
export function parseModelTextWith(yaml: YamlModule, text: string, source = "model"): unknown {
  if (typeof text !== "string")
    throw new ModelError(`expected the model's text (a string), got ${describeValue(text)}`, source);
  if (text.trim() === "") throw new ModelError("the file is empty", source);
  try {
    return yaml.parse(text, { prettyErrors: true, uniqueKeys: true });
  } catch (err) {
    if (err instanceof yaml.YAMLParseError) {
      const where = err.linePos ? ` (line ${err.linePos[0].line}, column ${err.linePos[0].col})` : "";
      // The parser's own stack overflow on deeply nested brackets surfaces as a parse error with the engine's words.
      const what = /Maximum call stack size exceeded/.test(err.message)
        ? "lists or mappings nested too deeply to parse"
        : err.message.split("\n")[0];
      throw new ModelError(`not valid YAML or JSON${where}: ${what}`, source);
    }
    throw new ModelError(`could not parse: ${(err as Error).message}`, source);
  }
}

/** What parseJsonText returns when JSON.parse cannot stand in for the YAML parser. */
export const NOT_JSON: unique symbol = Symbol("not JSON");

/**
 * A JSON text's data, the same as the YAML parser's (YAML 1.2 is a superset of JSON: same numbers, strings, and own
 * properties for keys such as `__proto__`), or NOT_JSON when JSON.parse fails (a syntax error, a byte-order mark,
 * nesting too deep) or the text repeats a key in one object (the YAML parser refuses that with its message; JSON.parse
 * would keep the last value). The caller then runs the YAML parser, so messages stay as they were.
 */
export function parseJsonText(text: string): unknown {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
  return hasRepeatedKey(text) ? NOT_JSON : data;
}

/**
 * Whether an object of a valid JSON text has a key twice. One pass over the text: a stack of the open objects' keys
 * (null for an array); a string followed by `:` is a key. Keys with escapes are decoded (`"a"` and `"\u0061"` repeat).
 */
function hasRepeatedKey(text: string): boolean {
  const stack: (Set<string> | null)[] = [];
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b /* { */) stack.push(new Set());
    else if (c === 0x5b /* [ */) stack.push(null);
    else if (c === 0x7d /* } */ || c === 0x5d /* ] */) stack.pop();
    else if (c === 0x22 /* " */) {
      const start = i;
      let escaped = false;
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) {
          escaped = true;
          i++;
        } else if (d === 0x22) break;
      }
      const keys = stack[stack.length - 1];
      if (!keys) continue;
      let j = i + 1;
      while (j < n && (text[j] === " " || text[j] === "\t" || text[j] === "\n" || text[j] === "\r")) j++;
      if (text[j] !== ":") continue;
      const key = escaped ? (JSON.parse(text.slice(start, i + 1)) as string) : text.slice(start + 1, i);
      if (keys.has(key)) return true;
      keys.add(key);
    }
  }
  return false;
}
