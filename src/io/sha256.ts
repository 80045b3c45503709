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

/**
 * A fresh incremental SHA-256 of node:crypto: hand it to decodeCheckpoint or CheckpointReader in place of the
 * browser-safe default (defaultSha256) for native speed; the digests are the same.
 *
 * @example
 * ```ts
 * import { defaultSha256 } from "ness";
 * import { nodeSha256 } from "ness/node";
 *
 * const native = nodeSha256();
 * native.update("abc");
 * const digest = native.hex(); // finishes the hash
 * console.log(digest); // => ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
 * const portable = defaultSha256();
 * portable.update("abc");
 * console.log(portable.hex() === digest); // => true
 * ```
 */
export const nodeSha256: Sha256Factory = () => wrap(createHash("sha256"));
