/**
 * A form generated from a zod object schema, the way the study contract declares parameters (src/studies/contract.ts
 * on the architecture branch): every field's `.describe()` text becomes its hint, `.meta({ unit, range, flag })` its
 * unit, slider range and the flag named in messages, and `.default()` its initial value. Numbers get a text field
 * and, when their meta gives a finite range, a slider (logarithmic when the range spans more than two decades);
 * enums get a select, booleans a checkbox. Every change is checked against the schema and the ranges (checkRange:
 * the messages the CLI prints, naming the flag) and reported in place; valid values go to onChange.
 */
import { z } from "zod";
import { formatZodError } from "../../src/model/raw.js";
import { checkRange, type ParameterRange } from "../../src/studies/ranges.js";
import { fieldsOf, kebab } from "../../src/studies/schema.js";
import { h, nessMessage } from "./dom.js";

/** What the lab reads from a field's meta (the contract's ParameterMeta, where it applies). */
export interface FieldMeta {
  unit?: string;
  range?: ParameterRange;
  flag?: string;
  /** Label shown instead of the key (physics symbol), e.g. "T₁". */
  label?: string;
  /** The default as --help shows it when the schema has none (it depends on other parameters). */
  defaultText?: string;
  /** false: a field of the page only, not a CLI option (labelled by its key, not a flag). */
  cli?: boolean;
}

export interface FieldInfo {
  key: string;
  /** The CLI's flag without dashes (the contract's: meta.flag, else the key in kebab case, burnIn -> burn-in). */
  flag: string;
  kind: "number" | "enum" | "boolean" | "string";
  description: string;
  meta: FieldMeta;
  defaultValue: unknown;
  options?: string[];
  optional: boolean;
}

/** The fields of an object schema, with description, meta and default, unwrapping default/optional wrappers. */
export function describeFields(schema: z.ZodObject): FieldInfo[] {
  const flags = new Map(fieldsOf(schema).map((f) => [f.key, f.flag]));
  return Object.entries(schema.shape).map(([key, field]) => {
    let f = field as z.ZodType;
    let description = f.description ?? "";
    let meta: FieldMeta = { ...((f.meta() ?? {}) as FieldMeta) };
    let defaultValue: unknown;
    let optional = false;
    for (;;) {
      if (f instanceof z.ZodDefault) {
        defaultValue = (f.def as { defaultValue: unknown }).defaultValue;
        f = f.unwrap() as z.ZodType;
      } else if (f instanceof z.ZodOptional) {
        optional = true;
        f = f.unwrap() as z.ZodType;
      } else break;
      description ||= f.description ?? "";
      meta = { ...((f.meta() ?? {}) as FieldMeta), ...meta };
    }
    // A sweepable number (a number or a range start:stop:count) is a number here: the page takes one value.
    if (f instanceof z.ZodUnion) {
      const num = (f.options as z.ZodType[]).find((o) => o instanceof z.ZodNumber);
      if (num) f = num;
    }
    const kind =
      f instanceof z.ZodNumber
        ? "number"
        : f instanceof z.ZodEnum
          ? "enum"
          : f instanceof z.ZodBoolean
            ? "boolean"
            : "string";
    const options = f instanceof z.ZodEnum ? (f.options as string[]).map(String) : undefined;
    return {
      key,
      flag: flags.get(key) ?? meta.flag ?? kebab(key),
      kind,
      description,
      meta,
      defaultValue,
      options,
      optional,
    };
  });
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

export interface GeneratedForm<T> {
  element: HTMLElement;
  /** The last valid values. */
  values(): T;
  /** Sets one field (as if typed) and re-validates. */
  set(key: string, value: unknown): void;
}

/**
 * Builds the form. `onChange` gets the parsed values after every valid change (and once at the start); an invalid
 * change shows the message in the form's alert and keeps the last valid values. `initial`: values typed in before
 * the start (e.g. from the page's address), as text.
 */
export function generateForm<S extends z.ZodObject>(
  schema: S,
  id: string,
  onChange: (values: z.output<S>) => void,
  initial: Record<string, string> = {},
): GeneratedForm<z.output<S>> {
  const fields = describeFields(schema);
  const raw: Record<string, unknown> = {};
  const error = h("div", { class: "status", role: "alert", id: `${id}-error` });
  const rows: HTMLElement[] = [];
  const setters = new Map<string, (v: unknown) => void>();
  let last = undefined as unknown as z.output<S>;

  const validate = () => {
    try {
      for (const f of fields) {
        const v = raw[f.key];
        if (f.kind === "number" && typeof v === "string") {
          throw new Error(`--${f.flag} must be a number, got '${v}'`);
        }
        if (f.kind === "number" && typeof v === "number" && f.meta.range) checkRange(`--${f.flag}`, v, f.meta.range);
      }
      const parsed = schema.safeParse(raw);
      if (!parsed.success) throw new Error(formatZodError(parsed.error));
      last = parsed.data as z.output<S>;
      error.textContent = "";
      error.hidden = true;
      onChange(last);
    } catch (err) {
      error.hidden = false;
      error.textContent = nessMessage(err);
    }
  };

  for (const f of fields) {
    const inputId = `${id}-${f.key}`;
    const hintId = `${inputId}-hint`;
    // Labelled by the CLI's flag (--burn-in, as `ness study NAME --help` and the messages name it), a symbol given
    // in meta.label beside it, and the unit; a field of the page only (meta.cli false) by its key.
    const unit = f.meta.unit && f.meta.unit !== "1" && !f.meta.unit.startsWith("as ") ? ` [${f.meta.unit}]` : "";
    const name =
      f.meta.cli === false ? (f.meta.label ?? f.key) : `--${f.flag}${f.meta.label ? ` (${f.meta.label})` : ""}`;
    const label = `${name}${unit}`;
    const hint = h("span", { class: "hint", id: hintId }, f.description);
    // A choice without a default (required by the CLI) starts at the option the select shows: its first.
    raw[f.key] = f.kind === "enum" && f.defaultValue === undefined && !f.optional ? f.options![0] : f.defaultValue;
    let control: HTMLElement;
    if (f.kind === "enum") {
      const sel = h(
        "select",
        { id: inputId, "aria-describedby": hintId },
        ...f.options!.map((o) => h("option", { value: o, selected: o === f.defaultValue }, o)),
      );
      sel.addEventListener("change", () => {
        raw[f.key] = sel.value;
        validate();
      });
      setters.set(f.key, (v) => {
        sel.value = String(v);
        raw[f.key] = sel.value;
      });
      control = sel;
    } else if (f.kind === "boolean") {
      const box = h("input", {
        type: "checkbox",
        id: inputId,
        "aria-describedby": hintId,
        checked: f.defaultValue === true,
      });
      box.addEventListener("change", () => {
        raw[f.key] = box.checked;
        validate();
      });
      setters.set(f.key, (v) => {
        box.checked = v === true;
        raw[f.key] = box.checked;
      });
      control = box;
    } else if (f.kind === "number") {
      const text = h("input", {
        type: "text",
        inputmode: "decimal",
        id: inputId,
        "aria-describedby": hintId,
        value: f.defaultValue === undefined ? "" : String(f.defaultValue),
        placeholder: f.meta.defaultText,
        size: 9,
      });
      const parse = (t: string): unknown => (t.trim() === "" ? undefined : DECIMAL.test(t.trim()) ? Number(t) : t);
      const r = f.meta.range;
      let slider: HTMLInputElement | null = null;
      let sliderOf: ((x: number) => number) | null = null;
      if (r && Number.isFinite(r.min) && Number.isFinite(r.max) && r.max > r.min) {
        // A wide range (more than two decades) gets a logarithmic slider over six decades around the default,
        // within the range; the text field still takes any value of the range (0 too, where allowed).
        const d =
          typeof f.defaultValue === "number" && f.defaultValue > 0
            ? f.defaultValue
            : Math.sqrt(Math.max(r.min, 1e-300) * r.max);
        const log = r.max / Math.max(r.min, 1e-300) > 100 && r.max > 0;
        const smin = log ? Math.max(r.min, d * 1e-3, 1e-300) : r.min,
          smax = log ? Math.min(r.max, d * 1e3) : r.max;
        const lo = log ? Math.log10(smin) : smin,
          hi = log ? Math.log10(smax) : smax;
        const toSlider = (x: number) => (log ? Math.log10(Math.min(Math.max(x, smin), smax)) : x);
        const fromSlider = (u: number) => Number((log ? 10 ** u : u).toPrecision(4));
        sliderOf = toSlider;
        slider = h("input", {
          type: "range",
          min: lo,
          max: hi,
          step: r.integer && !log ? 1 : (hi - lo) / 1000,
          "aria-label": `${label} slider`,
          "aria-describedby": hintId,
        });
        if (typeof f.defaultValue === "number") slider.value = String(toSlider(f.defaultValue));
        slider.addEventListener("input", () => {
          let v = fromSlider(Number(slider!.value));
          if (r.integer) v = Math.round(v);
          text.value = String(v);
          raw[f.key] = v;
          validate();
        });
        const s2 = slider;
        setters.set(f.key, (v) => {
          text.value = String(v);
          raw[f.key] = parse(String(v));
          if (typeof raw[f.key] === "number") s2.value = String(toSlider(raw[f.key] as number));
        });
      } else {
        setters.set(f.key, (v) => {
          text.value = String(v);
          raw[f.key] = parse(String(v));
        });
      }
      text.addEventListener("input", () => {
        raw[f.key] = parse(text.value);
        if (slider && typeof raw[f.key] === "number") slider.value = String(sliderOf!(raw[f.key] as number));
        validate();
      });
      control = h("span", { class: "number" }, text, slider);
    } else {
      const text = h("input", {
        type: "text",
        id: inputId,
        "aria-describedby": hintId,
        value: f.defaultValue === undefined ? "" : String(f.defaultValue),
      });
      text.addEventListener("input", () => {
        raw[f.key] = text.value;
        validate();
      });
      setters.set(f.key, (v) => {
        text.value = String(v);
        raw[f.key] = text.value;
      });
      control = text;
    }
    rows.push(h("div", { class: "form-row" }, h("label", { for: inputId }, label), control, hint));
  }
  for (const [key, value] of Object.entries(initial)) {
    if (!setters.has(key)) {
      error.hidden = false;
      error.textContent = `ness: unknown parameter '${key}' in the address (parameters are ${fields.map((f) => f.key).join(", ")})`;
      continue;
    }
    const f = fields.find((x) => x.key === key)!;
    setters.get(key)!(f.kind === "boolean" ? value === "true" : value);
  }
  const element = h("form", { class: "generated", id, "aria-label": "parameters", novalidate: true }, ...rows, error);
  element.addEventListener("submit", (e) => e.preventDefault());
  queueMicrotask(validate);
  return {
    element,
    values: () => last,
    set: (key, value) => {
      setters.get(key)?.(value);
      validate();
    },
  };
}
