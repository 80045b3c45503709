/** Small DOM helpers of the lab (no UI library: see docs/lab.md). */
import { modelFileSizeProblem } from "../../src/model/limits.js";

export type Attrs = Record<string, string | number | boolean | undefined>;

/** An HTML element with attributes (false/undefined omitted) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Node | string | null | undefined)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined) el.append(c);
  return el;
}

export const SVG = "http://www.w3.org/2000/svg";

export function s<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  text?: string,
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== false) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** A number for display: 4 significant digits, exponent form outside [1e-3, 1e5). */
export function fmt(x: number | undefined, digits = 4): string {
  if (x === undefined || !Number.isFinite(x)) return "–";
  if (x === 0) return "0";
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e5 ? String(Number(x.toPrecision(digits))) : x.toExponential(digits - 1);
}

/** A labelled text field for a number (inputmode decimal: any text is accepted and validated by the library). */
export function numberField(
  label: string,
  value: number | string,
  onInput: (text: string) => void,
  attrs: Attrs = {},
): HTMLInputElement {
  const input = h("input", {
    type: "text",
    inputmode: "decimal",
    "aria-label": label,
    title: label,
    value: String(value),
    size: 7,
    ...attrs,
  });
  input.addEventListener("input", () => onInput(input.value));
  return input;
}

/** The message of a library error as `ness` prints it. */
export function nessMessage(err: unknown): string {
  const e = err as Error;
  return `ness: ${e?.message ?? String(err)}`;
}

/**
 * Calls load(text, name) with a model file picked in `input` (then clears the input), or shows in `status` the line
 * the CLI prints for a file larger than the model-file limit.
 */
export function onModelFile(
  input: HTMLInputElement,
  status: HTMLElement,
  load: (text: string, name: string) => void,
): void {
  input.addEventListener("change", async () => {
    const f = input.files?.[0];
    if (!f) return;
    const tooLarge = modelFileSizeProblem(f.size);
    if (tooLarge) {
      status.textContent = `ness: ${f.name}: ${tooLarge}`;
      return;
    }
    load(await f.text(), f.name);
    input.value = "";
  });
}

/** Downloads text as a file. */
export function download(name: string, text: string, type = "text/plain"): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
