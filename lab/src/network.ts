/**
 * The network being edited: a plain, editable document (site names, positions, masses, pinning, springs, baths) that
 * converts to and from the model file format. Every change is validated by the library's own validateNetwork, so
 * the page shows exactly the messages `ness solve` prints for the same file.
 */
import { stringify } from "yaml";
import { parseModelText, validateNetwork, type NetworkModel } from "../../src/model/index.js";
import { ModelError } from "../../src/errors.js";
import { networkLayout } from "../../src/figures/layout.js";

export interface SiteDoc {
  name: string;
  x: number;
  y: number;
  /** Numbers, or the text typed when it is not a number (validation then names the field). */
  mass: number | string;
  pinning: number | string;
  quarticPinning: number;
}

export interface SpringDoc {
  a: string;
  b: string;
  stiffness: number | string;
  quartic: number;
}

export interface BathDoc {
  site: string;
  friction: number | string;
  temperature: number | string;
}

export interface NetworkDoc {
  name?: string;
  description?: string;
  dynamics: "underdamped" | "overdamped";
  sites: SiteDoc[];
  springs: SpringDoc[];
  baths: BathDoc[];
}

/** The model file (plain data) of a document, as `ness solve` would read it. */
export function toRaw(doc: NetworkDoc): Record<string, unknown> {
  const perSite = (key: "mass" | "pinning") => Object.fromEntries(doc.sites.map((s) => [s.name, s[key]]));
  const raw: Record<string, unknown> = { kind: "network" };
  if (doc.name) raw.name = doc.name;
  if (doc.description) raw.description = doc.description;
  raw.dynamics = doc.dynamics;
  raw.sites = doc.sites.map((s) => s.name);
  if (doc.dynamics === "underdamped" && doc.sites.some((s) => s.mass !== 1)) raw.masses = perSite("mass");
  if (doc.sites.some((s) => s.pinning !== 0)) raw.pinning = perSite("pinning");
  if (doc.sites.some((s) => s.quarticPinning !== 0))
    raw.quarticPinning = Object.fromEntries(doc.sites.map((s) => [s.name, s.quarticPinning]));
  raw.springs = doc.springs.map((s) => ({
    between: [s.a, s.b],
    stiffness: s.stiffness,
    ...(s.quartic !== 0 ? { quartic: s.quartic } : {}),
  }));
  raw.baths = doc.baths.map((b) => ({ site: b.site, friction: b.friction, temperature: b.temperature }));
  raw.layout = Object.fromEntries(doc.sites.map((s) => [s.name, [round(s.x), round(s.y)]]));
  return raw;
}

const round = (x: number) => Number(x.toFixed(3));

/** Validated model of the document (throws the library's ModelError). */
export function toModel(doc: NetworkDoc): NetworkModel {
  return validateNetwork(toRaw(doc));
}

/** The document as a YAML model file (flow style for springs and baths, as in examples/). */
export function toYaml(doc: NetworkDoc): string {
  const raw = toRaw(doc);
  const head = `# Written by the ness lab: solve it with \`ness solve FILE\`, simulate it with \`ness simulate FILE ...\`\n`;
  const lines: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if ((key === "springs" || key === "baths") && Array.isArray(value)) {
      if (value.length === 0) lines.push(`${key}: []`);
      else lines.push(`${key}:`, ...value.map((v) => `  - ${stringify(v, { collectionStyle: "flow" }).trim()}`));
    } else if (
      key === "sites" ||
      key === "layout" ||
      key === "masses" ||
      key === "pinning" ||
      key === "quarticPinning"
    ) {
      lines.push(`${key}: ${stringify(value, { collectionStyle: "flow" }).trim()}`);
    } else {
      lines.push(stringify({ [key]: value }).trim());
    }
  }
  return head + lines.join("\n") + "\n";
}

/**
 * A document from a model file's text: parsed and validated by the library (a malformed or invalid file throws the
 * same ModelError as `ness solve NAME`, naming `source`). Without a layout, sites get the figures' layout.
 */
export function fromText(text: string, source?: string): NetworkDoc {
  const raw = parseModelText(text, source);
  const kind = (raw as { kind?: unknown } | null)?.kind;
  if (kind === "particles")
    throw new ModelError(
      "the network editor takes a network model; this is kind: particles (use ness simulate)",
      source,
    );
  return fromModel(validateNetwork(raw, source));
}

export function fromModel(m: NetworkModel): NetworkDoc {
  // Without a layout in the file: the layout of `ness solve --figure` (a line for a chain, a polygon for a ring,
  // spectral + force-directed otherwise), in units of the typical spring length.
  const auto = m.layout
    ? null
    : networkLayout(
        m.sites.length,
        m.springs.map((s) => [s.i, s.j] as const),
      );
  return {
    name: m.name,
    description: m.description,
    dynamics: m.dynamics,
    sites: m.sites.map((name, i) => ({
      name,
      x: m.layout ? m.layout[2 * i] : auto![i][0],
      y: m.layout ? m.layout[2 * i + 1] : auto![i][1],
      mass: m.mass[i],
      pinning: m.pinning[i],
      quarticPinning: m.quarticPinning[i],
    })),
    springs: m.springs.map((s) => ({ a: m.sites[s.i], b: m.sites[s.j], stiffness: s.stiffness, quartic: s.quartic })),
    baths: m.baths.map((b) => ({ site: m.sites[b.site], friction: b.friction, temperature: b.temperature })),
  };
}

/** A number typed in a field: the number when it is one, otherwise the text (so validation can name it). */
export function parseField(text: string): number | string {
  const t = text.trim();
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return Number(t);
  return t;
}

/** A fresh site name: the smallest integer not used yet. */
export function freshSiteName(doc: NetworkDoc): string {
  const used = new Set(doc.sites.map((s) => s.name));
  for (let k = doc.sites.length + 1; ; k++) if (!used.has(String(k))) return String(k);
}

// Shareable URLs: the model file (JSON) in the fragment, base64url-encoded UTF-8.
export function encodeDoc(doc: NetworkDoc): string {
  const bytes = new TextEncoder().encode(JSON.stringify(toRaw(doc)));
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function decodeDoc(code: string): NetworkDoc {
  let text: string;
  try {
    const bin = atob(code.replace(/-/g, "+").replace(/_/g, "/"));
    text = new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
  } catch {
    throw new ModelError("the model in this link is damaged (not base64url-encoded UTF-8)", "link");
  }
  return fromText(text, "link");
}
