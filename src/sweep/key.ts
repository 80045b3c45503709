/**
 * Point keys: a SHA-256 of the canonical JSON (keys sorted, numbers as JavaScript prints them: shortest round-trip)
 * of (the point's parameters, its seed, the compute options, the ness version). Equal keys mean the same
 * computation, so a store keeps one result per key: a resumed sweep skips done keys, and a point delivered twice
 * (a retried queue job, a repeated value in a list) is stored once. Browser-safe (pure JavaScript hash).
 */
import { sha256 } from "@noble/hashes/sha2";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils";
import { canonicalJson } from "../canonical.js";
import { NESS_VERSION } from "../version.js";
import type { ComputeOptions } from "./compute.js";

export { canonicalJson };

/** The key of a point (64 hex digits). */
export function pointKey(parameters: unknown, seed: number, compute: ComputeOptions, version = NESS_VERSION): string {
  return bytesToHex(sha256(utf8ToBytes(canonicalJson({ parameters, seed, compute, version }))));
}

/**
 * The same key from the parameters' canonical JSON, already written (a sweep splices a point's values into its
 * base's canonical text instead of copying and serialising the whole model at every point).
 */
export function pointKeyOfCanonical(
  canonicalParameters: string,
  seed: number,
  compute: ComputeOptions,
  version = NESS_VERSION,
): string {
  // canonicalJson({ parameters, seed, compute, version }): keys in sorted order.
  const text = `{"compute":${canonicalJson(compute)},"parameters":${canonicalParameters},"seed":${canonicalJson(seed)},"version":${JSON.stringify(version)}}`;
  return bytesToHex(sha256(utf8ToBytes(text)));
}

/**
 * canonicalJson of `doc` with the numbers at `targets` replaced by given values, without copying `doc`: the text is
 * written once with a marker at each target and split there. Null when a marker cannot be placed unambiguously.
 */
export function canonicalSplicer(
  targets: { container: Record<string | number, unknown>; key: string | number }[],
  doc: unknown,
): ((values: ArrayLike<number>) => string) | null {
  const saved = targets.map((t) => t.container[t.key]);
  const marks = targets.map((_, k) => `\u0000ness-axis-${k}\u0000`);
  let text: string;
  try {
    targets.forEach((t, k) => (t.container[t.key] = marks[k]));
    text = canonicalJson(doc);
  } finally {
    targets.forEach((t, k) => (t.container[t.key] = saved[k]));
  }
  const parts: string[] = [];
  const order: number[] = [];
  let rest = text;
  for (;;) {
    let at = -1,
      which = -1;
    marks.forEach((m, k) => {
      const i = rest.indexOf(JSON.stringify(m));
      if (i >= 0 && (at < 0 || i < at)) {
        at = i;
        which = k;
      }
    });
    if (at < 0) break;
    parts.push(rest.slice(0, at));
    order.push(which);
    rest = rest.slice(at + JSON.stringify(marks[which]).length);
  }
  parts.push(rest);
  // Each target exactly once (two axes on one field, or a marker text in the model: the slow way).
  if (order.length !== targets.length || new Set(order).size !== order.length) return null;
  return (values) => {
    let out = parts[0];
    for (let i = 0; i < order.length; i++) out += canonicalJson(values[order[i]]) + parts[i + 1];
    return out;
  };
}

/** A short hash of any plain data (16 hex digits): a sweep's identity in a queue. */
export function shortHash(value: unknown): string {
  return bytesToHex(sha256(utf8ToBytes(canonicalJson(value)))).slice(0, 16);
}
