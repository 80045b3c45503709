// The JSON fast path of model files (issue 18, start-up): JSON.parse stands in for the YAML parser only where both
// give the same data, and says NOT_JSON otherwise (the YAML parser then gives the data or the message, as before).
import { parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";
import { parseModelFile } from "../../src/cli/input.js";
import { parseModelText } from "../../src/model/modelText.js";
import { NOT_JSON, parseJsonText } from "../../src/model/parseText.js";

const yaml = (text: string) => parseYaml(text, { uniqueKeys: true }) as unknown;

describe("parseJsonText", () => {
  it("gives the YAML parser's data for JSON texts (YAML 1.2 is a superset of JSON)", () => {
    const texts = [
      `{"kind": "network", "sites": ["a", "b"], "pinning": 0.5, "springs": [{"between": ["a", "b"], "stiffness": 1}]}`,
      `{\n\t"a": [1,\n\t\t2e-3, -0, 1e400, 12345678901234567890, 5e-324],\r\n "b": {"c": null, "d": true, "e": {}}}\n`,
      `{"s": "x\\/y\\b\\f\\n\\u00e9\\ud83d\\ude00 # not a comment", "t": "a: b", "__proto__": 1, "toString": 2}`,
      `{"a": {"k": 1}, "b": {"k": 2}, "k": [{"k": 3}, {"k": 4}]}`,
      `[1, "x"]`,
      `"text"`,
      `null`,
    ];
    for (const text of texts) {
      const data = parseJsonText(text);
      expect(data).not.toBe(NOT_JSON);
      expect(data).toStrictEqual(yaml(text));
      if (text.includes("__proto__")) expect(Object.keys(data as object)).toContain("__proto__");
    }
    expect(Object.is((parseJsonText(`[-0]`) as number[])[0], -0)).toBe(true);
  });

  it("says NOT_JSON for a repeated key (the YAML parser refuses it), a syntax error, a byte-order mark, YAML", () => {
    for (const text of [
      `{"kind": "network", "sites": [1, 2], "kind": "network"}`,
      `{"a": 1, "b": {"c": 1, "d": [{"e": 1, "e": 2}]}}`,
      `{"a": 1, "\\u0061": 2}`,
      `{"a": 1, "a"\n : 2}`,
      `{"kind": "network", "sites": [1, 2]`,
      `\ufeff{"a": 1}`,
      `kind: network`,
      ``,
      `  \n`,
    ])
      expect(parseJsonText(text)).toBe(NOT_JSON);
    // keys that repeat only across objects, or as values, are fine
    expect(parseJsonText(`{"a": "a", "b": {"a": 1}, "c": ["a", {"a": 2}]}`)).not.toBe(NOT_JSON);
  });
});

describe("parseModelFile", () => {
  it("reads .json files through JSON.parse and everything else, or a refused JSON text, as loadModel does", () => {
    const text = `{"kind": "network", "sites": [1, 2]}`;
    expect(parseModelFile(text, "m.json")).toStrictEqual(parseModelText(text, "m.json"));
    expect(parseModelFile("kind: network\nsites: [1, 2]\n", "m.yaml")).toStrictEqual(yaml(text));
    for (const [bad, file] of [
      [`{"kind": "network", "sites": [1, 2], "kind": "network"}`, "m.json"],
      [`{"kind": "network", "sites": [1, 2]`, "m.JSON"],
      [" \n", "m.json"],
    ]) {
      let message = "";
      try {
        parseModelText(bad, file);
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).not.toBe("");
      expect(() => parseModelFile(bad, file)).toThrow(message);
    }
  });
});
