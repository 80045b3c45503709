/**
 * Point keys: a SHA-256 of the canonical JSON (keys sorted, numbers as JavaScript prints them: shortest round-trip)
 * of (the point's parameters, its seed, the compute options, the ness version). Equal keys mean the same
 * computation, so a store keeps one result per key: a resumed sweep skips done keys, and a point delivered twice
 * (a retried queue job, a repeated value in a list) is stored once. Browser-safe (pure JavaScript hash).
 */
import { sha256 } from "@noble/hashes/sha2";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils";
import { NESS_VERSION } from "../version.js";
import type { ComputeOptions } from "./compute.js";

/** JSON with object keys sorted at every level (typed arrays as lists); undefined fields left out. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (ArrayBuffer.isView(value)) return canonicalJson(Array.from(value as unknown as ArrayLike<number>));
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  const keys = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(",")}}`;
}

/** The key of a point (64 hex digits). */
export function pointKey(parameters: unknown, seed: number, compute: ComputeOptions, version = NESS_VERSION): string {
  return bytesToHex(sha256(utf8ToBytes(canonicalJson({ parameters, seed, compute, version }))));
}

/** A short hash of any plain data (16 hex digits): a sweep's identity in a queue. */
export function shortHash(value: unknown): string {
  return bytesToHex(sha256(utf8ToBytes(canonicalJson(value)))).slice(0, 16);
}
