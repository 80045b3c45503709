/**
 * A form generated from a zod object schema, the way the study contract declares parameters (src/studies/contract.ts):
 * every field's `.describe()` text becomes its hint, `.meta({ unit, range, flag })` its unit, slider range and the
 * flag named in messages, and `.default()` its initial value (a field without one shows the study's default, or the
 * --help default text, as a placeholder, and its slider starts there). Numbers get a text field and, when their meta
 * gives a finite range, a slider (logarithmic when the range spans more than two decades); enums get a select,
 * booleans a checkbox. Sweepable numbers (meta.sweep: the CLI's start:stop:count[:log]) share one sweep row: which
 * parameter, from, to, points and log spacing; the swept parameter's own field is then disabled. Every change is
 * checked against the schema and the ranges (checkRange, parseSweep: the messages the CLI prints, naming the flag)
 * and reported in place; valid values go to onChange.
 */
import { z } from "zod";
import { formatZodError } from "../../src/model/raw.js";
import type { SweepRange } from "../../src/studies/contract.js";
import { checkRange, type ParameterRange } from "../../src/studies/ranges.js";
import { fieldsOf, isSweep, kebab, parseSweep, sweepText } from "../../src/studies/schema.js";
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
  /** The parameter may be a range (a sweep). */
  sweep?: boolean;
  /** --help heading of the parameter (the form groups fields by it). */
  section?: string;
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

/** A slider's scale: its ends (in slider units: log10 of the value for a log slider) and where it starts. */
export interface SliderScale {
  log: boolean;
  /** Ends of the values the slider covers. */
  min: number;
  max: number;
  /** The value it starts at. */
  start: number;
}

/**
 * The slider of a number field with a finite range, or null. It starts at the schema's default, else the study's
 * (`studyDefault`: a parameter group's), else the first number of the --help default text ("1 (ssep 0.2)" -> 1),
 * else the range's middle (geometric for a log slider, which then runs from 1e-3 to 1e3 of it; a range from 0 takes
 * 1 as its middle). A range of more than two decades (from 0: up to more than 100) gets a log slider of six decades
 * around the start, within the range.
 */
export function sliderScale(f: FieldInfo, studyDefault?: number): SliderScale | null {
  const r = f.meta.range;
  if (!r || !Number.isFinite(r.min) || !Number.isFinite(r.max) || !(r.max > r.min)) return null;
  const inside = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x) && x >= r.min && x <= r.max;
  const text = /^\s*([+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?)/i.exec(f.meta.defaultText ?? "")?.[1];
  const given = [f.defaultValue, studyDefault, text === undefined ? undefined : Number(text)].find(inside);
  // More than two decades: from a positive minimum, max/min > 100; from 0, a maximum above 100 (a fraction or a
  // density in [0, 1] keeps a linear slider).
  const log = r.min > 0 ? r.max / r.min > 100 : r.max > 100;
  if (!log) return { log, min: r.min, max: r.max, start: given ?? (r.min + r.max) / 2 };
  const middle = r.min > 0 ? Math.sqrt(r.min * r.max) : 1;
  const centre = given !== undefined && given > 0 ? given : middle;
  return {
    log,
    min: Math.max(r.min, centre * 1e-3, 1e-300),
    max: Math.min(r.max, centre * 1e3),
    start: given ?? middle,
  };
}

export interface FormOptions {
  /** Defaults of fields that have none in the schema (the study's default parameter group): placeholders. */
  defaults?: Record<string, number>;
  /** The sweep the form starts with (a sweepable field's key and its range); absent: no sweep. */
  sweep?: { key: string; range: SweepRange };
  /**
   * Fields of alternative parameter sets the run does not use unless given (e.g. variance-resonance's mechanical and
   * electrical forms): a section made only of them starts folded, unless one of them is in `initial`.
   */
  folded?: string[];
  /**
   * The study's own check of the parsed values (Study.check: the ranges --help states in words, e.g. --T0 a
   * temperature in [1e-6, 1e6] or for ssep a density), with the CLI's flags as names: the form's message is the CLI's.
   */
  check?: (values: z.output<z.ZodObject>, name: (key: string) => string) => void;
}

export interface GeneratedForm<T> {
  element: HTMLElement;
  /** The last valid values. */
  values(): T;
  /** Sets one field (as if typed) and re-validates. */
  set(key: string, value: unknown): void;
  /** The swept parameter, or undefined. */
  swept(): string | undefined;
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
  options: FormOptions = {},
): GeneratedForm<z.output<S>> {
  const fields = describeFields(schema);
  const raw: Record<string, unknown> = {};
  const error = h("div", { class: "status", role: "alert", id: `${id}-error` });
  const rows: { section?: string; key: string; row: HTMLElement }[] = [];
  const setters = new Map<string, (v: unknown) => void>();
  /** Enables or disables a field's own controls (disabled while it is swept). */
  const enablers = new Map<string, (on: boolean) => void>();
  let last = undefined as unknown as z.output<S>;
  const sweepable = fields.filter((f) => f.kind === "number" && f.meta.sweep === true);
  /** The sweep row's state: the swept key ("" none) and its texts, as the CLI's start:stop:count[:log]. */
  const sweep = { key: "", from: "", to: "", points: "", log: false };
  const sweepSource = () => `${sweep.from.trim()}:${sweep.to.trim()}:${sweep.points.trim()}${sweep.log ? ":log" : ""}`;

  const validate = () => {
    try {
      for (const f of fields) {
        if (f.key === sweep.key) {
          // The CLI's parse of --KEY FROM:TO:POINTS[:log], with its messages (the range is checked by the study).
          raw[f.key] = parseSweep(sweepSource(), `--${f.flag}`);
          continue;
        }
        const v = raw[f.key];
        if (f.kind === "number" && typeof v === "string") {
          throw new Error(`--${f.flag} must be a number, got '${v}'`);
        }
        if (f.kind === "number" && typeof v === "number" && f.meta.range) checkRange(`--${f.flag}`, v, f.meta.range);
      }
      const parsed = schema.safeParse(raw);
      if (!parsed.success) throw new Error(formatZodError(parsed.error));
      options.check?.(parsed.data, (key) => `--${fields.find((f) => f.key === key)?.flag ?? kebab(key)}`);
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
    const studyDefault = options.defaults?.[f.key];
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
        placeholder: f.meta.defaultText ?? (studyDefault !== undefined ? String(studyDefault) : undefined),
        size: 9,
      });
      const parse = (t: string): unknown => (t.trim() === "" ? undefined : DECIMAL.test(t.trim()) ? Number(t) : t);
      const r = f.meta.range;
      let slider: HTMLInputElement | null = null;
      let sliderOf: ((x: number) => number) | null = null;
      const scale = sliderScale(f, studyDefault);
      if (r && scale) {
        // A wide range (more than two decades) gets a logarithmic slider over six decades around the default,
        // within the range; the text field still takes any value of the range (0 too, where allowed).
        const { log, min: smin, max: smax } = scale;
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
        // At the default, or (a field without one) where the study's default or the range's middle is.
        slider.value = String(toSlider(scale.start));
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
      const s3 = slider;
      enablers.set(f.key, (on) => {
        text.disabled = !on;
        if (s3) s3.disabled = !on;
        // A swept field's own value is not used: the sweep row gives it; back to its typed value after.
        if (on) raw[f.key] = parse(text.value);
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
    rows.push({
      section: f.meta.section,
      key: f.key,
      row: h("div", { class: "form-row" }, h("label", { for: inputId }, label), control, hint),
    });
  }
  let sweepRow: HTMLElement | null = null;
  let setSweep: ((key: string, range?: SweepRange | string) => void) | null = null;
  if (sweepable.length > 0) {
    // One sweep row for the sweepable fields: the CLI takes at most one range per run.
    const sid = `${id}-sweep`;
    const flagOf = (f: FieldInfo) => (f.meta.cli === false ? f.key : `--${f.flag}`);
    const which = h(
      "select",
      { id: sid, "aria-describedby": `${sid}-hint` },
      h("option", { value: "" }, "none (one point)"),
      ...sweepable.map((f) => h("option", { value: f.key }, flagOf(f))),
    );
    const box = (name: string, label: string, size: number) => {
      const input = h("input", { type: "text", inputmode: "decimal", id: `${sid}-${name}`, size });
      return [h("label", { for: `${sid}-${name}`, class: "inline" }, label), input] as const;
    };
    const [fromLabel, from] = box("from", "from", 6);
    const [toLabel, to] = box("to", "to", 6);
    const [pointsLabel, points] = box("points", "points", 5);
    const log = h("input", { type: "checkbox", id: `${sid}-log` });
    const logLabel = h("label", { for: `${sid}-log`, class: "inline" }, "log spacing");
    const show = () => {
      for (const el of [from, to, points, log]) el.disabled = sweep.key === "";
      for (const f of sweepable) enablers.get(f.key)?.(f.key !== sweep.key);
    };
    setSweep = (key, range) => {
      const previous = sweep.key;
      if (previous && previous !== key) enablers.get(previous)?.(true);
      sweep.key = key;
      which.value = key;
      if (range !== undefined) {
        const [a = "", b = "", c = "", d = ""] = (typeof range === "string" ? range : sweepText(range)).split(":");
        Object.assign(sweep, { from: a, to: b, points: c, log: d.trim().toLowerCase() === "log" });
        from.value = a;
        to.value = b;
        points.value = c;
        log.checked = sweep.log;
      }
      show();
    };
    which.addEventListener("change", () => {
      // A newly swept parameter starts with the page's own sweep of it, else a factor of 2 either side of its value
      // (typed, or where its slider starts), 201 points, log spaced.
      const f = sweepable.find((x) => x.key === which.value);
      let range: SweepRange | undefined;
      if (f && options.sweep?.key === f.key) range = options.sweep.range;
      else if (f) {
        const typed = raw[f.key];
        const centre = typeof typed === "number" ? typed : sliderScale(f, options.defaults?.[f.key])?.start;
        if (centre !== undefined && centre > 0)
          range = { start: centre / 2, stop: centre * 2, count: 201, spacing: "log" };
      }
      setSweep!(which.value, range);
      validate();
    });
    for (const [el, k] of [
      [from, "from"],
      [to, "to"],
      [points, "points"],
    ] as const) {
      el.addEventListener("input", () => {
        sweep[k] = el.value;
        validate();
      });
    }
    log.addEventListener("change", () => {
      sweep.log = log.checked;
      validate();
    });
    sweepRow = h(
      "div",
      { class: "form-row sweep-row" },
      h("label", { for: sid }, "sweep"),
      h(
        "span",
        { class: "number" },
        which,
        // Each label with its box: a narrow column wraps between the pairs, never inside one.
        h("span", { class: "pair" }, fromLabel, from),
        h("span", { class: "pair" }, toLabel, to),
        h("span", { class: "pair" }, pointsLabel, points),
        h("span", { class: "pair" }, log, logLabel),
      ),
      h(
        "span",
        { class: "hint", id: `${sid}-hint` },
        "one parameter over a range, as the CLI's --KEY FROM:TO:POINTS[:log]; its own field is then not used",
      ),
    );
    if (options.sweep && sweepable.some((f) => f.key === options.sweep!.key))
      setSweep(options.sweep.key, options.sweep.range);
    else show();
  }
  for (const [key, value] of Object.entries(initial)) {
    // The address: a range KEY=FROM:TO:POINTS[:log] sweeps KEY; sweep=none starts without the page's own sweep.
    if (key === "sweep" && setSweep && value === "none") {
      setSweep("", undefined);
      continue;
    }
    if (setSweep && value.includes(":") && sweepable.some((f) => f.key === key)) {
      setSweep(key, value);
      continue;
    }
    if (!setters.has(key)) {
      error.hidden = false;
      error.textContent = `ness: unknown parameter '${key}' in the address (parameters are ${fields.map((f) => f.key).join(", ")})`;
      continue;
    }
    const f = fields.find((x) => x.key === key)!;
    setters.get(key)!(f.kind === "boolean" ? value === "true" : value);
  }
  // Fields in --help order; those under a --help heading (meta.section) in a group with that heading, folded when
  // all of them belong to a parameter set the run does not use (FormOptions.folded) and none was given.
  const parts: HTMLElement[] = [];
  const groups = new Map<string, HTMLDetailsElement>();
  const folded = new Set(options.folded ?? []);
  for (const r of rows) {
    if (r.section === undefined) {
      parts.push(r.row);
      continue;
    }
    let group = groups.get(r.section);
    if (!group) {
      const members = rows.filter((x) => x.section === r.section).map((x) => x.key);
      const fold = members.every((k) => folded.has(k)) && !members.some((k) => initial[k] !== undefined);
      group = h("details", { class: "section", open: !fold }, h("summary", {}, r.section));
      groups.set(r.section, group);
      parts.push(group);
    }
    group.append(r.row);
  }
  const element = h(
    "form",
    { class: "generated", id, "aria-label": "parameters", novalidate: true },
    sweepRow,
    ...parts,
    error,
  );
  element.addEventListener("submit", (e) => e.preventDefault());
  queueMicrotask(validate);
  return {
    element,
    values: () => last,
    set: (key, value) => {
      if (setSweep && (isSweep(value) || (typeof value === "string" && value.includes(":"))))
        setSweep(key, value as SweepRange | string);
      else setters.get(key)?.(value);
      validate();
    },
    swept: () => sweep.key || undefined,
  };
}
