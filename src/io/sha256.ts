/**
 * Node's SHA-256 (node:crypto) as the incremental hash that checkpoint files are written and read with
 * (src/stochastic/checkpoint.ts Sha256): the same digests as the browser-safe default, computed natively.
 */
import { createHash, type Hash } from "node:crypto";
import type { Sha256, Sha256Factory } from "../stochastic/checkpoint.js";

function wrap(h: Hash): Sha256 {
  return {
    update: (data) => void h.update(data),
    copy: () => wrap(h.copy()),
    hex: () => h.digest("hex"),
  };
}

/** A fresh incremental SHA-256 of node:crypto. */
export const nodeSha256: Sha256Factory = () => wrap(createHash("sha256"));
