/**
 * Field paths into plain data: `baths[0].temperature`, `springs[1-2].flux`, `kineticTemperature[a]`, `sigma11`.
 *
 * A path is names joined by dots, each optionally followed by selectors in brackets. On a list, a selector that is
 * a whole number is an index (from 0); any other selector is a label: the entry whose `between` (joined by "-",
 * e.g. the spring between sites 1 and 2 is `springs[1-2]`), `site` or `name` equals it. On a mapping, a selector is
 * a key (`pinning[a]` is `pinning.a`). Browser-safe.
 */
import { SweepError } from "../errors.js";

export type Segment = { key: string } | { select: string };

/** Splits a path into segments; throws SweepError naming `where` for a malformed path. */
export function parsePath(path: string, where: string): Segment[] {
  const out: Segment[] = [];
  const re = /([^.[\]]+)|\[([^\]]*)\]|(\.)/gy;
  let expectName = true;
  let m: RegExpExecArray | null;
  let pos = 0;
  while (pos < path.length && (m = re.exec(path)) !== null) {
    pos = re.lastIndex;
    if (m[1] !== undefined) {
      if (!expectName) throw new SweepError(`${where}: malformed field path '${path}' (a name must follow a dot)`);
      out.push({ key: m[1].trim() });
      expectName = false;
    } else if (m[2] !== undefined) {
      if (out.length === 0 || m[2].trim() === "")
        throw new SweepError(
          `${where}: malformed field path '${path}' (brackets need a name before them and an index or label inside)`,
        );
      out.push({ select: m[2].trim() });
    } else {
      if (expectName) throw new SweepError(`${where}: malformed field path '${path}'`);
      expectName = true;
    }
  }
  if (pos !== path.length || out.length === 0 || expectName)
    throw new SweepError(`${where}: malformed field path '${path}' (e.g. baths[0].temperature or springs[1-2].flux)`);
  return out;
}

/** The label of a list entry: `between` joined by "-", else `site`, else `name`. */
function labelOf(entry: unknown): string | undefined {
  if (entry === null || typeof entry !== "object") return undefined;
  const e = entry as { between?: unknown; site?: unknown; name?: unknown };
  if (Array.isArray(e.between)) return e.between.map(String).join("-");
  if (typeof e.site === "string" || typeof e.site === "number") return String(e.site);
  if (typeof e.name === "string" || typeof e.name === "number") return String(e.name);
  return undefined;
}

function show(segments: Segment[], upto: number): string {
  let s = "";
  for (let i = 0; i < upto; i++) {
    const g = segments[i];
    s += "key" in g ? (s === "" ? g.key : `.${g.key}`) : `[${g.select}]`;
  }
  return s;
}

/** Where a path points: the container and the key in it (the last step), or a reason it points nowhere. */
export function locate(
  root: unknown,
  segments: Segment[],
): { container: Record<string | number, unknown>; key: string | number } | { missing: string } {
  let here: unknown = root;
  for (let i = 0; i < segments.length; i++) {
    const g = segments[i];
    let key: string | number;
    if (Array.isArray(here)) {
      if ("key" in g)
        return { missing: `${show(segments, i) || "the document"} is a list: select an entry with [index] or [label]` };
      if (/^\d+$/.test(g.select)) {
        key = Number(g.select);
        if (key >= here.length)
          return {
            missing: `${show(segments, i)} has ${here.length} entr${here.length === 1 ? "y" : "ies"} (index ${key} is past the end)`,
          };
      } else {
        key = here.findIndex((e) => labelOf(e) === g.select);
        if (key < 0) {
          const labels = here.map(labelOf).filter((l) => l !== undefined);
          return {
            missing: `${show(segments, i)} has no entry '${g.select}'${labels.length > 0 ? ` (labels: ${labels.slice(0, 12).join(", ")}${labels.length > 12 ? ", ..." : ""})` : ""}`,
          };
        }
      }
    } else if (here !== null && typeof here === "object") {
      key = "key" in g ? g.key : g.select;
      if (!Object.prototype.hasOwnProperty.call(here, key)) {
        const keys = Object.keys(here);
        return {
          missing: `${show(segments, i) || "the document"} has no field '${key}'${keys.length > 0 ? ` (fields: ${keys.slice(0, 16).join(", ")}${keys.length > 16 ? ", ..." : ""})` : ""}`,
        };
      }
    } else {
      return { missing: `${show(segments, i)} is a ${typeof here}, not a list or mapping` };
    }
    if (i === segments.length - 1) return { container: here as Record<string | number, unknown>, key };
    here = (here as Record<string | number, unknown>)[key];
  }
  return { missing: "empty path" };
}

/** The value a path points to, or undefined. */
export function getPath(root: unknown, segments: Segment[]): unknown {
  const at = locate(root, segments);
  return "missing" in at ? undefined : at.container[at.key];
}
