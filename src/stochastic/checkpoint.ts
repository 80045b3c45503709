/**
 * Checkpoints of simulations: everything a run carries from one step to the next, as plain data, so that a run
 * stopped at any step and restarted from its checkpoint gives the same numbers, bit for bit, as the run that never
 * stopped.
 *
 * What a replica carries (ReplicaSnapshot): its step counter; coordinates, momenta, forces and potential energy;
 * the coordinates and forces before the last step (Stratonovich estimators); the 128-bit state of its random
 * stream; the sums of the batch in progress and the batch counters; the divergence checks' bounds; each density /
 * current field's batch in progress; and the force field's memory (a neighbour list's positions at its last build,
 * the cell order's adaptive choices: forceField.ts saveState), from which the same lists are rebuilt.
 * Replicas run in blocks (ensemble.ts), in replica order: a block's state (BlockState) is the batch means of its
 * finished replicas, its field sums, and the snapshot of the replica in progress; replicas not yet started need
 * nothing (their random streams are fixed by the seed).
 *
 * The file (encodeCheckpoint): JSON, with every Float64Array as base64 of its little-endian bytes (exact, NaN
 * included), the ness version, the model's fingerprint (SHA-256 of its canonical JSON) and the parameters that
 * fix the numbers. A restart (checkRestart) refuses, in one line, a checkpoint written for another model, other
 * parameters or by another ness version. Browser-safe.
 */
import { sha256 } from "@noble/hashes/sha2";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils";
import { requireObject, requireString } from "../arguments.js";
import { canonicalJson } from "../canonical.js";
import { NessError } from "../errors.js";
import type { FieldAccumulator } from "./fields.js";
import { restoreForceState, saveForceState, type NeighbourMemory } from "./forceField.js";
import type { LangevinState } from "./integrators.js";

/** A checkpoint that cannot be used: unreadable, damaged, or written for another run. */
export class CheckpointError extends NessError {
  override name = "CheckpointError";
}

/** One replica's complete state between two steps. */
export interface ReplicaSnapshot {
  replica: number;
  /** Steps done, burn-in included. */
  step: number;
  /** Production batches done, and steps into the batch in progress. */
  batch: number;
  inBatch: number;
  /** The random stream's four 32-bit words. */
  rng: number[];
  x: Float64Array;
  p: Float64Array | null;
  f: Float64Array;
  xPrev: Float64Array;
  fPrev: Float64Array;
  /** [potential energy, the batch's energy sum, the energy bound, the batch-energy floor]. */
  scalars: Float64Array;
  /** Sums of the batch in progress (one per estimator value). */
  sums: Float64Array;
  /** The fused kernel's burn-in sums (empty without it). */
  burnSums: Float64Array;
  /** Each field accumulator's state (fields.ts saveState). */
  fields: Float64Array[];
  /** The force field's memory (forceField.ts saveState; a split run's: its integrator's lists). */
  forces: Float64Array;
}

/** The parts of a replica run that a snapshot reads (run.ts ReplicaRun hands them over). */
export interface ReplicaParts {
  replica: number;
  step: number;
  batch: number;
  inBatch: number;
  energySum: number;
  energyLimit: number;
  energyFloor: number;
  state: LangevinState;
  forces: NeighbourMemory;
  sums: Float64Array;
  burnSums: Float64Array | null;
  fields: FieldAccumulator[];
}

/** A copy of a replica's state. */
export function captureReplica(r: ReplicaParts): ReplicaSnapshot {
  const st = r.state;
  return {
    replica: r.replica,
    step: r.step,
    batch: r.batch,
    inBatch: r.inBatch,
    rng: Array.from(st.rng.state),
    x: st.x.slice(),
    p: st.p ? st.p.slice() : null,
    f: st.f.slice(),
    xPrev: st.xPrev.slice(),
    fPrev: st.fPrev.slice(),
    scalars: Float64Array.of(st.potential, r.energySum, r.energyLimit, r.energyFloor),
    sums: r.sums.slice(),
    burnSums: r.burnSums ? r.burnSums.slice() : new Float64Array(0),
    fields: r.fields.map((f) => f.saveState()),
    forces: saveForceState(r.forces),
  };
}

/** What a restored replica takes from the snapshot besides its arrays. */
export interface RestoredCounters {
  batch: number;
  inBatch: number;
  energySum: number;
  energyLimit: number;
  energyFloor: number;
}

const sameLength = (what: string, a: ArrayLike<number> | null, b: ArrayLike<number> | null) => {
  if ((a === null) !== (b === null) || (a && b && a.length !== b.length))
    throw new CheckpointError(`the checkpoint does not fit this simulation: ${what} has the wrong size`);
};

/** Runs a restore of saved state, its refusal (a state of another layout, an internal error) a CheckpointError. */
function fitting(what: string, restore: () => void): void {
  try {
    restore();
  } catch (err) {
    if (err instanceof Error && !(err instanceof CheckpointError) && err.message.startsWith("internal: "))
      throw new CheckpointError(
        `the checkpoint does not fit this simulation: the saved state of the ${what} has the wrong size`,
      );
    throw err;
  }
}

/** Writes a snapshot into a freshly made replica's state (arrays of the plan's sizes); returns its counters. */
export function restoreReplica(
  s: ReplicaSnapshot,
  into: {
    replica: number;
    state: LangevinState;
    forces: NeighbourMemory;
    sums: Float64Array;
    burnSums: Float64Array | null;
    fields: FieldAccumulator[];
  },
): RestoredCounters {
  const st = into.state;
  if (s.replica !== into.replica) throw new Error(`internal: snapshot of replica ${s.replica} for ${into.replica}`);
  sameLength("the coordinates", s.x, st.x);
  sameLength("the momenta", s.p, st.p);
  sameLength("the forces", s.f, st.f);
  sameLength("the previous coordinates", s.xPrev, st.xPrev);
  sameLength("the previous forces", s.fPrev, st.fPrev);
  sameLength("the running sums", s.sums, into.sums);
  if (s.fields.length !== into.fields.length)
    throw new CheckpointError("the checkpoint does not fit this simulation: the fields differ");
  if (s.rng.length !== 4) throw new CheckpointError("the checkpoint does not fit this simulation: a random state");
  st.x.set(s.x);
  if (st.p && s.p) st.p.set(s.p);
  st.f.set(s.f);
  st.xPrev.set(s.xPrev);
  st.fPrev.set(s.fPrev);
  st.potential = s.scalars[0];
  for (let k = 0; k < 4; k++) st.rng.state[k] = s.rng[k];
  into.sums.set(s.sums);
  if (into.burnSums && s.burnSums.length === into.burnSums.length) into.burnSums.set(s.burnSums);
  // The saved states' layouts belong to the fields and the force field (neighbour lists), which refuse one of the
  // wrong size as an internal error: from a checkpoint file (damaged, or edited), that is the user's input.
  fitting("fields", () => into.fields.forEach((f, k) => f.restoreState(s.fields[k])));
  fitting("force field (neighbour lists)", () => restoreForceState(into.forces, s.forces));
  return {
    batch: s.batch,
    inBatch: s.inBatch,
    energySum: s.scalars[1],
    energyLimit: s.scalars[2],
    energyFloor: s.scalars[3],
  };
}

/** A block of replicas part way through: finished replicas' outputs, the block's sums, the replica in progress. */
export interface BlockState {
  first: number;
  count: number;
  /** Replicas of the block finished (the one in progress is first + done). */
  done: number;
  /** Steps run in this block so far (all its replicas, burn-in included). */
  steps: number;
  /** count x perReplica numbers (finished replicas' batch means; the one in progress writes its own as it goes). */
  outputs: Float64Array;
  /** The block's sums (fields), added in replica order. */
  sums: Float64Array;
  /** The replica in progress, or null (between replicas). */
  current: ReplicaSnapshot | null;
}

// ---------------------------------------------------------------------------------------------------------------
// The file

/** What fixes a simulation's numbers besides the model (compared on restart; shown in messages by these names). */
export interface CheckpointParameters {
  scheme: string;
  dt: number;
  time: number;
  burnIn: number;
  seed: number;
  replicas: number;
  batches: number;
  sampleEvery: number;
  /** Other settings (flux estimator, pair heat, fields, fused kernel), as plain data. */
  settings: Record<string, unknown>;
}

/** A checkpoint: the run's identity and the state of every block. */
export interface Checkpoint {
  ness: string;
  /** SHA-256 of the model's canonical JSON (modelFingerprint) and its name, for messages. */
  model: { fingerprint: string; name?: string };
  parameters: CheckpointParameters;
  /** The command line or call that started the run (provenance only). */
  command?: string;
  blocks: BlockState[];
}

export { canonicalJson } from "../canonical.js";

/**
 * The fingerprint of a validated model (equal models, equal fingerprints, however their files were written).
 *
 * @example
 * ```ts
 * import { loadModel, modelFingerprint } from "ness";
 *
 * const a = loadModel("kind: network\nsites: [a]\npinning: 1\nbaths: [{site: a, friction: 1, temperature: 1}]");
 * const b = loadModel('{"kind": "network", "sites": ["a"], "pinning": 1, "baths": [{"site": "a", "friction": 1, "temperature": 1}]}');
 * console.log(modelFingerprint(a) === modelFingerprint(b)); // => true
 * ```
 */
export function modelFingerprint(model: unknown): string {
  requireObject(model, "modelFingerprint: the model");
  return bytesToHex(sha256(utf8ToBytes(canonicalJson(model))));
}

/**
 * An incremental SHA-256, as checkpointPieces and CheckpointReader take it: fed in pieces (text as its UTF-8
 * bytes), copied part way, finished as 64 hex digits. The default is @noble/hashes' (browser-safe); the CLI hands
 * over Node's (node:crypto, src/io/sha256.ts). Both give the same digests.
 */
export interface Sha256 {
  update(data: string | Uint8Array): void;
  /** An independent copy of the state (the hash of what came so far). */
  copy(): Sha256;
  /** The digest of everything fed, as 64 lowercase hex digits (the hash is finished). */
  hex(): string;
}

/** Makes a fresh incremental SHA-256. */
export type Sha256Factory = () => Sha256;

function nobleSha256(h = sha256.create()): Sha256 {
  return {
    update: (data) => void h.update(data),
    copy: () => nobleSha256(h.clone()),
    hex: () => bytesToHex(h.digest()),
  };
}

/**
 * The browser-safe incremental SHA-256 (@noble/hashes): what decodeCheckpoint and CheckpointReader check a checkpoint
 * file with unless given another factory (the `ness/node` entry has Node's native one, nodeSha256).
 *
 * @example
 * ```ts
 * import { defaultSha256 } from "ness";
 *
 * const h = defaultSha256();
 * h.update("ab");
 * const partway = h.copy(); // the hash of "ab", fed on independently
 * h.update("c");
 * const digest = h.hex(); // finishes h: feed a copy to go on
 * console.log(digest); // => ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
 * partway.update(new Uint8Array([0x63])); // "c" as its UTF-8 byte: the same digest
 * console.log(partway.hex() === digest); // => true
 * ```
 */
export const defaultSha256: Sha256Factory = () => nobleSha256();

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) B64_INDEX[B64.charCodeAt(i)] = i;
const B64_CODES = Uint8Array.from(B64, (c) => c.charCodeAt(0));

const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;
/** Numbers per piece of float64ToBase64Pieces: a multiple of 3 (24 bytes, 32 characters), about 1 MB of text. */
const PIECE_NUMBERS = 3 * 2 ** 15;

/**
 * base64 of a Float64Array's little-endian bytes in pieces of about 1 MB (joined, float64ToBase64's text): a
 * checkpoint is written piece by piece, so that writing it takes a megabyte or two beside the run, not copies of
 * its outputs (the whole text, then the JSON document of it, then the bytes written).
 */
export function* float64ToBase64Pieces(a: Float64Array): Generator<string> {
  const total = a.length * 8;
  if (total === 0) return;
  const codes = new Uint8Array(Math.ceil(Math.min(total, PIECE_NUMBERS * 8) / 3) * 4);
  const scratch = LITTLE_ENDIAN ? null : new DataView(new ArrayBuffer(PIECE_NUMBERS * 8));
  const latin1 = new TextDecoder("latin1");
  for (let start = 0; start < a.length; start += PIECE_NUMBERS) {
    const count = Math.min(PIECE_NUMBERS, a.length - start);
    let bytes: Uint8Array;
    if (scratch) {
      for (let i = 0; i < count; i++) scratch.setFloat64(8 * i, a[start + i], true);
      bytes = new Uint8Array(scratch.buffer, 0, count * 8);
    } else bytes = new Uint8Array(a.buffer, a.byteOffset + start * 8, count * 8);
    const n = bytes.length;
    let o = 0;
    for (let i = 0; i < n; i += 3) {
      const b0 = bytes[i],
        b1 = i + 1 < n ? bytes[i + 1] : 0,
        b2 = i + 2 < n ? bytes[i + 2] : 0;
      codes[o++] = B64_CODES[b0 >> 2];
      codes[o++] = B64_CODES[((b0 & 3) << 4) | (b1 >> 4)];
      codes[o++] = i + 1 < n ? B64_CODES[((b1 & 15) << 2) | (b2 >> 6)] : 61;
      codes[o++] = i + 2 < n ? B64_CODES[b2 & 63] : 61;
    }
    yield latin1.decode(codes.subarray(0, o));
  }
}

/** base64 of a Float64Array's little-endian bytes. */
export function float64ToBase64(a: Float64Array): string {
  return [...float64ToBase64Pieces(a)].join("");
}

/** Each byte's base64 value: 0-63, PAD for '=', -1 for any other byte. */
const PAD = -2;
const B64_VALUE = new Int8Array(256).fill(-1);
for (let i = 0; i < 64; i++) B64_VALUE[B64.charCodeAt(i)] = i;
B64_VALUE[61] = PAD;

/** The little-endian bytes of 8-byte numbers as a Float64Array (bytes.length a multiple of 8). */
function float64OfBytes(bytes: Uint8Array): Float64Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float64Array(bytes.length / 8);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(8 * i, true);
  return out;
}

/** The Float64Array of float64ToBase64's text (CheckpointError when it is not one), decoded straight into it. */
export function base64ToFloat64(text: unknown, what: string): Float64Array {
  if (typeof text !== "string" || text.length % 4 !== 0)
    throw new CheckpointError(`the checkpoint is damaged: ${what} is not base64`);
  const pad = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  const n = (text.length / 4) * 3 - pad;
  if (n % 8 !== 0) throw new CheckpointError(`the checkpoint is damaged: ${what} is not a list of 8-byte numbers`);
  const out = new Float64Array(n / 8);
  const bytes = LITTLE_ENDIAN ? new Uint8Array(out.buffer) : new Uint8Array(n);
  let at = 0;
  for (let i = 0; i < text.length; i += 4) {
    const last = i + 4 === text.length;
    const c0 = text.charCodeAt(i),
      c1 = text.charCodeAt(i + 1),
      c2 = text.charCodeAt(i + 2),
      c3 = text.charCodeAt(i + 3);
    const v0 = c0 < 256 ? B64_VALUE[c0] : -1,
      v1 = c1 < 256 ? B64_VALUE[c1] : -1,
      v2 = c2 < 256 ? B64_VALUE[c2] : -1,
      v3 = c3 < 256 ? B64_VALUE[c3] : -1;
    // '=' only as the last one or two characters of the text
    const padded = last && pad > 0;
    if ((v0 | v1) < 0 || (v2 < 0 && !(padded && pad === 2 && v2 === PAD)) || (v3 < 0 && !(padded && v3 === PAD)))
      throw new CheckpointError(`the checkpoint is damaged: ${what} is not base64`);
    const triple = (v0 << 18) | (v1 << 12) | ((v2 & 63) << 6) | (v3 & 63);
    bytes[at++] = triple >> 16;
    if (at < n) bytes[at++] = (triple >> 8) & 255;
    if (at < n) bytes[at++] = triple & 255;
  }
  return LITTLE_ENDIAN ? out : float64OfBytes(bytes);
}

/** Bytes of a base64 text arriving in pieces, collected in pieces of up to 1 MiB (none allocated per character). */
class Base64Collector {
  private readonly pieces: Uint8Array[] = [];
  /** The piece being filled: 4 KiB, then each twice the last, up to 1 MiB (a short array takes little). */
  private piece = new Uint8Array(2 ** 12);
  private at = 0;
  private total = 0;
  private quad = 0;
  private inQuad = 0;
  private pad = 0;
  private bad = false;

  constructor(
    readonly what: string,
    /** The SHA-256 of the text (each array's own, for naming a damaged one). */
    readonly hash: Sha256,
  ) {}

  private put(b: number): void {
    if (this.at === this.piece.length) {
      this.pieces.push(this.piece);
      this.piece = new Uint8Array(Math.min(2 ** 20, 2 * this.piece.length));
      this.at = 0;
    }
    this.piece[this.at++] = b;
    this.total++;
  }

  /** Adds the base64 characters codes[from..to). */
  push(codes: Uint8Array, from: number, to: number): void {
    this.hash.update(codes.subarray(from, to));
    if (this.bad) return;
    let quad = this.quad,
      inQuad = this.inQuad,
      pad = this.pad;
    for (let i = from; i < to; i++) {
      const v = B64_VALUE[codes[i]];
      // '=' only at the end: the third and fourth or the fourth character of the last group of 4, nothing after it
      if (v >= 0 && pad === 0 && inQuad >= 0) quad = (quad << 6) | v;
      else if (v === PAD && inQuad >= 2) {
        pad++;
        quad <<= 6;
      } else {
        this.bad = true;
        return;
      }
      if (++inQuad === 4) {
        this.put(quad >> 16);
        if (pad < 2) this.put((quad >> 8) & 255);
        if (pad < 1) this.put(quad & 255);
        quad = 0;
        inQuad = pad > 0 ? -1 : 0;
      }
    }
    this.quad = quad;
    this.inQuad = inQuad;
    this.pad = pad;
  }

  /** The numbers of the text (CheckpointError when it is not base64 of 8-byte numbers). */
  finish(): Float64Array {
    if (this.bad || (this.inQuad !== 0 && this.inQuad !== -1))
      throw new CheckpointError(`the checkpoint is damaged: ${this.what} is not base64`);
    if (this.total % 8 !== 0)
      throw new CheckpointError(`the checkpoint is damaged: ${this.what} is not a list of 8-byte numbers`);
    const out = new Float64Array(this.total / 8);
    const bytes = LITTLE_ENDIAN ? new Uint8Array(out.buffer) : new Uint8Array(this.total);
    let at = 0;
    for (const p of [...this.pieces, this.piece.subarray(0, this.at)]) {
      bytes.set(p, at);
      at += p.length;
    }
    this.pieces.length = 0;
    return LITTLE_ENDIAN ? out : float64OfBytes(bytes);
  }
}

/**
 * The format name and version written into every checkpoint. Format 2: each replica's outputs also hold its running
 * sums at the sub-batch starts (the correlation-time rule), so a format-1 checkpoint's blocks no longer fit. Format 3:
 * the file ends with its SHA-256 checksums (checkpointPieces), verified on reading; a checkpoint without them is
 * refused by its format. Format 4: the file's checksum is taken over the arrays' checksums instead of their text (each
 * byte of a file hashed once), and the parameters record the rules the run used (a pair heat or covariance left at
 * its default, by the value it took).
 */
export const CHECKPOINT_FORMAT = "ness-checkpoint";
export const CHECKPOINT_FORMAT_VERSION = 4;

/** The refusal of a checkpoint of another format version (read from its first bytes, or from the whole document). */
function otherFormat(file: string, version: unknown): CheckpointError {
  const old = typeof version === "number" && version < CHECKPOINT_FORMAT_VERSION;
  return new CheckpointError(
    `${file} is a checkpoint of format ${String(version)}; this ness reads format ${CHECKPOINT_FORMAT_VERSION}` +
      (old ? " (an older format: continue it with the ness that wrote it, or run again)" : ""),
  );
}

const SNAPSHOT_ARRAYS = ["x", "f", "xPrev", "fPrev", "scalars", "sums", "burnSums", "forces"] as const;

/** The keys of a snapshot whose values are arrays (base64 text), besides `fields` (a list of them). */
const SNAPSHOT_ARRAY_KEYS = new Set<string>([...SNAPSHOT_ARRAYS, "p"]);

/**
 * The snapshot as plain data (arrays as base64) and the same with each array's SHA-256 (64 hex digits) in place of
 * its text, as the file's checksum takes it; each array's SHA-256 also put in `sums` under `where`.name.
 */
function encodeSnapshot(
  s: ReplicaSnapshot,
  where: string,
  hash: Sha256Factory,
  sums: Record<string, string>,
): { text: Record<string, unknown>; digests: Record<string, unknown> } {
  const text = (a: Float64Array, name: string) => {
    const t = float64ToBase64(a);
    const h = hash();
    h.update(t);
    const hex = h.hex();
    sums[`${where}.${name}`] = hex;
    return [t, hex] as const;
  };
  const scalars = { replica: s.replica, step: s.step, batch: s.batch, inBatch: s.inBatch, rng: s.rng };
  const p = s.p ? text(s.p, "p") : null;
  const fields = s.fields.map((f, k) => text(f, `fields[${k}]`));
  const out: Record<string, unknown> = { ...scalars, p: p && p[0], fields: fields.map((f) => f[0]) };
  const digests: Record<string, unknown> = { ...scalars, p: p && p[1], fields: fields.map((f) => f[1]) };
  for (const k of SNAPSHOT_ARRAYS) [out[k], digests[k]] = text(s[k], k);
  return { text: out, digests };
}

/**
 * The checkpoint as the text of its file (JSON; Float64Arrays as base64); see runSegmented for a whole example.
 *
 * @example
 * ```ts
 * import {
 *   baoab, checkpointParameters, checkRestart, decodeCheckpoint, encodeCheckpoint, loadModel, modelFingerprint,
 *   runSegmented, simulate,
 * } from "ness";
 *
 * const model = loadModel(`
 * kind: network
 * sites: [a, b]
 * pinning: 1
 * springs: [{between: [a, b], stiffness: 1}]
 * baths: [{site: a, friction: 1, temperature: 2}, {site: b, friction: 1, temperature: 1}]
 * `);
 * const options = { time: 50, seed: 1, replicas: 2 };
 * let saved = "";
 * // A run that writes a checkpoint after its first segment of 300 steps, then stops (as if killed).
 * await simulate(model, baoab({ dt: 0.05 }), options, {
 *   execute: (spec, plan) =>
 *     runSegmented(spec, plan, {
 *       segmentSteps: 300,
 *       onSegment: ({ blocks }) => {
 *         const parameters = checkpointParameters(plan);
 *         saved = encodeCheckpoint({ ness: "0", model: { fingerprint: modelFingerprint(model) }, parameters, blocks });
 *         throw new Error("stopped");
 *       },
 *     }),
 * }).catch(() => undefined);
 * // The restart continues from the checkpoint: the numbers of the run that never stopped.
 * const checkpoint = decodeCheckpoint(saved, "checkpoint.json");
 * const continued = await simulate(model, baoab({ dt: 0.05 }), options, {
 *   execute: (spec, plan) => {
 *     checkRestart(checkpoint, { ness: "0", modelFingerprint: modelFingerprint(model), parameters: checkpointParameters(plan) }, "checkpoint.json");
 *     return runSegmented(spec, plan, { segmentSteps: 10 ** 6, start: checkpoint.blocks });
 *   },
 * });
 * const whole = await simulate(model, baoab({ dt: 0.05 }), options);
 * console.log(JSON.stringify(continued.estimates) === JSON.stringify(whole.estimates)); // => true
 * ```
 */
export function encodeCheckpoint(c: Checkpoint): string {
  checkCheckpointArgument(c, "encodeCheckpoint");
  return [...checkpointPieces(c)].join("");
}

/**
 * The text of encodeCheckpoint in pieces of at most about 1 MB (joined, the same text): a file written piece by piece
 * (the CLI's --checkpoint) takes no copy of the run's outputs.
 *
 * The document ends with its checksums, `"sha256": {"arrays": {...}, "file": ...}`: "arrays" is the SHA-256 of each
 * array's base64 text, by name (`blocks[0].outputs`, `blocks[0].current.x`, ...), so that a refusal can name the
 * array that changed; "file" is the SHA-256 of the document's text before the checksums (from its first byte to the
 * `]` closing the blocks, without whitespace outside strings) with each array's text replaced by its SHA-256 (64
 * lowercase hex digits between the quotes). A change anywhere changes "file" (a changed array through its own
 * checksum), and each byte of the arrays is hashed once, not for both checksums. Each is computed as the pieces are
 * made (`hash`: an incremental SHA-256, default defaultSha256), never over a copy of the whole text.
 */
/** The shape of a checkpoint handed to encodeCheckpoint or checkRestart (a decoded one has passed all checks). */
function checkCheckpointArgument(c: unknown, where: string): asserts c is Checkpoint {
  requireObject(c, `${where}: the checkpoint`);
  requireString(c.ness, `${where}: the checkpoint's ness version`);
  requireObject(c.model, `${where}: the checkpoint's model`);
  requireObject(c.parameters, `${where}: the checkpoint's parameters`);
  if (!Array.isArray(c.blocks)) throw new CheckpointError(`${where}: the checkpoint's blocks must be an array`);
  for (const [i, b] of c.blocks.entries()) requireObject(b, `${where}: the checkpoint's block ${i}`);
}

export function* checkpointPieces(c: Checkpoint, hash: Sha256Factory = defaultSha256): Generator<string> {
  const file = hash();
  const arrays: Record<string, string> = {};
  const emit = (piece: string) => {
    file.update(piece);
    return piece;
  };
  function* base64(a: Float64Array, name: string): Generator<string> {
    const h = hash();
    for (const piece of float64ToBase64Pieces(a)) {
      h.update(piece);
      yield piece;
    }
    arrays[name] = h.hex();
    // the file's checksum takes the array's checksum in place of its text
    file.update(arrays[name]);
  }
  const head = JSON.stringify({
    format: CHECKPOINT_FORMAT,
    formatVersion: CHECKPOINT_FORMAT_VERSION,
    ness: c.ness,
    ...(c.command !== undefined ? { command: c.command } : {}),
    model: c.model,
    parameters: c.parameters,
  });
  // base64 needs no escaping in JSON: each array's pieces go between the quotes as they are
  yield emit(`${head.slice(0, -1)},"blocks":[`);
  for (let k = 0; k < c.blocks.length; k++) {
    const b = c.blocks[k];
    yield emit(
      `${k > 0 ? "," : ""}{"first":${JSON.stringify(b.first)},"count":${JSON.stringify(b.count)},"done":${JSON.stringify(b.done)},"steps":${JSON.stringify(b.steps)},"outputs":"`,
    );
    yield* base64(b.outputs, `blocks[${k}].outputs`);
    yield emit('","sums":"');
    yield* base64(b.sums, `blocks[${k}].sums`);
    const current = b.current ? encodeSnapshot(b.current, `blocks[${k}].current`, hash, arrays) : null;
    file.update(`","current":${JSON.stringify(current && current.digests)}}`);
    yield `","current":${JSON.stringify(current && current.text)}}`;
  }
  yield emit("]");
  yield `,"sha256":${JSON.stringify({ arrays, file: file.hex() })}}\n`;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

function decodeSnapshot(v: unknown, where: string): ReplicaSnapshot {
  if (!isObject(v)) throw new CheckpointError(`the checkpoint is damaged: ${where} is not an object`);
  for (const k of ["replica", "step", "batch", "inBatch"])
    if (!isCount(v[k])) throw new CheckpointError(`the checkpoint is damaged: ${where}.${k} is not a count`);
  const rng = v.rng;
  if (!Array.isArray(rng) || rng.length !== 4 || !rng.every((w) => Number.isInteger(w) && Math.abs(w) < 2 ** 32))
    throw new CheckpointError(`the checkpoint is damaged: ${where}.rng is not four 32-bit words`);
  if (!Array.isArray(v.fields)) throw new CheckpointError(`the checkpoint is damaged: ${where}.fields is not a list`);
  const arr = (k: string) => base64ToFloat64(v[k], `${where}.${k}`);
  const s: ReplicaSnapshot = {
    replica: v.replica as number,
    step: v.step as number,
    batch: v.batch as number,
    inBatch: v.inBatch as number,
    rng: rng as number[],
    x: arr("x"),
    p: v.p === null ? null : arr("p"),
    f: arr("f"),
    xPrev: arr("xPrev"),
    fPrev: arr("fPrev"),
    scalars: arr("scalars"),
    sums: arr("sums"),
    burnSums: arr("burnSums"),
    fields: (v.fields as unknown[]).map((t, k) => base64ToFloat64(t, `${where}.fields[${k}]`)),
    forces: arr("forces"),
  };
  if (s.scalars.length !== 4) throw new CheckpointError(`the checkpoint is damaged: ${where}.scalars`);
  return s;
}

/**
 * Reads a checkpoint's text (CheckpointError naming what is wrong; `file` names it in messages).
 *
 * @example
 * ```ts
 * import { CheckpointError, decodeCheckpoint } from "ness";
 *
 * try {
 *   decodeCheckpoint("{}", "old.json");
 * } catch (err) {
 *   console.log(err instanceof CheckpointError); // => true
 *   console.log((err as Error).message.startsWith("old.json is not a ness checkpoint")); // => true
 * }
 * ```
 */
export function decodeCheckpoint(text: string, file: string, hash: Sha256Factory = defaultSha256): Checkpoint {
  const reader = new CheckpointReader(file, hash);
  reader.push(new TextEncoder().encode(text));
  return reader.end();
}

/** Refuses a document that is not a checkpoint of this format. */
function checkHeader(doc: unknown, file: string): asserts doc is Record<string, unknown> {
  if (!isObject(doc) || doc.format !== CHECKPOINT_FORMAT)
    throw new CheckpointError(`${file} is not a ness checkpoint (no "format": "${CHECKPOINT_FORMAT}")`);
  if (doc.formatVersion !== CHECKPOINT_FORMAT_VERSION) throw otherFormat(file, doc.formatVersion);
}

/**
 * The checkpoint of a parsed document. `arrays`: the blocks' outputs and sums that CheckpointReader decoded as they
 * came, each in the document as {"$float64": its index}, taken once, and only where it was found (`names`: e.g.
 * blocks[0].outputs; an object of that form written in the file takes nothing); null for a document whose arrays are
 * all base64.
 */
function checkpointOfDocument(
  doc: unknown,
  file: string,
  arrays: (Float64Array | null)[] | null,
  names: string[] = [],
): Checkpoint {
  const numbers = (v: unknown, what: string): Float64Array => {
    if (arrays !== null && isObject(v)) {
      const k = v.$float64;
      const a = typeof k === "number" && names[k] === what ? arrays[k] : undefined;
      if (!a) throw new CheckpointError(`the checkpoint is damaged: ${what} is not base64`);
      arrays[k as number] = null;
      return a;
    }
    return base64ToFloat64(v, what);
  };
  checkHeader(doc, file);
  if (typeof doc.ness !== "string" || !isObject(doc.model) || typeof doc.model.fingerprint !== "string")
    throw new CheckpointError(`${file}: the checkpoint is damaged (no ness version or model fingerprint)`);
  if (!isObject(doc.parameters) || !Array.isArray(doc.blocks))
    throw new CheckpointError(`${file}: the checkpoint is damaged (no parameters or blocks)`);
  try {
    const blocks = doc.blocks.map((b: unknown, k: number): BlockState => {
      const where = `blocks[${k}]`;
      if (!isObject(b)) throw new CheckpointError(`the checkpoint is damaged: ${where} is not an object`);
      for (const key of ["first", "count", "done", "steps"])
        if (!isCount(b[key])) throw new CheckpointError(`the checkpoint is damaged: ${where}.${key} is not a count`);
      return {
        first: b.first as number,
        count: b.count as number,
        done: b.done as number,
        steps: b.steps as number,
        outputs: numbers(b.outputs, `${where}.outputs`),
        sums: numbers(b.sums, `${where}.sums`),
        current: b.current === null ? null : decodeSnapshot(b.current, `${where}.current`),
      };
    });
    return {
      ness: doc.ness,
      model: {
        fingerprint: doc.model.fingerprint,
        name: typeof doc.model.name === "string" ? doc.model.name : undefined,
      },
      parameters: doc.parameters as unknown as CheckpointParameters,
      command: typeof doc.command === "string" ? doc.command : undefined,
      blocks,
    };
  } catch (err) {
    if (err instanceof CheckpointError) throw new CheckpointError(`${file}: ${err.message}`);
    throw err;
  }
}

const QUOTE = 34,
  BACKSLASH = 92;
/** Keys of a block whose base64 CheckpointReader decodes as it comes (the big ones: the run's outputs). */
const STREAMED_KEYS = new Set(["outputs", "sums"]);

/**
 * Reads a checkpoint file's bytes in pieces (of any size, cut anywhere), in memory bounded by the checkpoint's
 * numbers: the blocks' outputs and sums are decoded from base64 as their bytes come, straight into pieces of 1 MiB
 * and then into their Float64Arrays, never held as text; the rest of the document (small) is parsed as JSON at the
 * end. The same checkpoint as decodeCheckpoint of the whole text, and the same refusals, plus one for a file that
 * ends early. Browser-safe (bytes from a File's stream, or Node's file reads: the CLI's --restart).
 *
 * @example
 * ```ts
 * import { CheckpointReader } from "ness";
 *
 * const reader = new CheckpointReader("cut.json");
 * reader.push(new TextEncoder().encode('{"format": "ness-checkpoint", "blocks": [{"outputs": "AAAA'));
 * try {
 *   reader.end();
 * } catch (err) {
 *   console.log((err as Error).message); // => cut.json: the checkpoint is damaged: the file ends early (was it cut short?)
 * }
 * ```
 */
export class CheckpointReader {
  /** The document without the streamed arrays (each replaced by {"$float64": k}). */
  private doc = new Uint8Array(2 ** 12);
  private length = 0;
  private readonly arrays: (Float64Array | null)[] = [];
  /** Where each streamed array was found (e.g. blocks[0].outputs). */
  private readonly arrayNames: string[] = [];
  /** The key each open object or array is the value of (null: none, or an element of an array). */
  private readonly keys: (string | null)[] = [];
  private inString = false;
  private escaped = false;
  private stringStart = 0;
  /** The last string closed (a key when a ':' follows), the key of the value to come (after its ':'). */
  private lastString: string | null = null;
  private key: string | null = null;
  private afterColon = false;
  private blocks = 0;
  private started = false;
  private base64: Base64Collector | null = null;
  /** The SHA-256 of the bytes read so far, whitespace outside strings left out (hashed from `hashedTo` on). */
  private readonly fileHash: Sha256;
  private hashedTo = 0;
  /** The file hash's state at the last comma between top-level keys, and its digest there before "sha256". */
  private atComma: Sha256 | null = null;
  private fileDigest: string | null = null;
  /** Top-level keys seen; the document's "sha256" key seen, and another key after it. */
  private topKeys = 0;
  private checksumSeen = false;
  private keyAfterChecksum = false;
  /** The first key's value ("format") still to check; where the second's ("formatVersion") starts in `doc`. */
  private formatDue = false;
  private versionAt = -1;
  /** Each array's SHA-256 (the file's hash takes it in place of the array's text; it names a damaged array). */
  private readonly arrayHashes = new Map<string, string>();
  /** The SHA-256 of the replica-in-progress array whose text is being read (not streamed), and its name. */
  private textHash: Sha256 | null = null;
  private textName = "";
  /** Strings seen so far in the `fields` list of a replica in progress. */
  private fieldTexts = 0;

  constructor(
    readonly file: string,
    private readonly hash: Sha256Factory = defaultSha256,
  ) {
    this.fileHash = hash();
  }

  private append(b: number): void {
    if (this.length === this.doc.length) {
      const grown = new Uint8Array(this.doc.length * 2);
      grown.set(this.doc);
      this.doc = grown;
    }
    this.doc[this.length++] = b;
  }

  private appendText(t: string): void {
    for (let i = 0; i < t.length; i++) this.append(t.charCodeAt(i));
  }

  private fail(message: string): never {
    throw new CheckpointError(`${this.file}${message}`);
  }

  /** The next bytes of the file. */
  push(bytes: Uint8Array): void {
    this.hashedTo = 0;
    this.scan(bytes);
    // the rest of the piece: an array's text in progress goes to its own hash (a streamed one's is hashed already)
    (this.textHash ?? this.fileHash).update(bytes.subarray(this.hashedTo));
  }

  /** An array's text is over: the file's hash takes its SHA-256 in place of it. */
  private arrayDone(what: string, hex: string): void {
    this.arrayHashes.set(what, hex);
    this.fileHash.update(hex);
  }

  /** Hashes bytes[hashedTo, to) into the file's hash. */
  private hashUpTo(bytes: Uint8Array, to: number): void {
    if (to > this.hashedTo) this.fileHash.update(bytes.subarray(this.hashedTo, to));
    this.hashedTo = to;
  }

  /** At a top-level ',' or '}': the first key's value must have been "ness-checkpoint", the second's this format. */
  private checkFormatSoFar(): void {
    if (this.formatDue)
      this.fail(` is not a ness checkpoint (it does not begin with "format": "${CHECKPOINT_FORMAT}")`);
    if (this.versionAt >= 0) {
      let v: unknown;
      try {
        v = JSON.parse(new TextDecoder().decode(this.doc.subarray(this.versionAt, this.length - 1)));
      } catch {
        v = undefined;
      }
      this.versionAt = -1;
      if (v !== CHECKPOINT_FORMAT_VERSION) throw otherFormat(this.file, v);
    }
  }

  private scan(bytes: Uint8Array): void {
    let i = 0;
    const n = bytes.length;
    while (i < n) {
      if (this.base64) {
        // the closing quote (base64 has no escapes: a backslash is refused as a character that is not base64)
        const q = bytes.indexOf(QUOTE, i);
        const to = q < 0 ? n : q;
        this.base64.push(bytes, i, to);
        // the array's bytes are hashed by the collector alone
        this.hashedTo = to;
        if (q < 0) return;
        try {
          this.arrays.push(this.base64.finish());
          this.arrayNames.push(this.base64.what);
        } catch (err) {
          if (err instanceof CheckpointError) this.fail(`: ${err.message}`);
          throw err;
        }
        this.arrayDone(this.base64.what, this.base64.hash.hex());
        this.base64 = null;
        i = q + 1;
        continue;
      }
      const b = bytes[i++];
      if (this.inString) {
        this.append(b);
        if (this.escaped) this.escaped = false;
        else if (b === BACKSLASH) this.escaped = true;
        else if (b === QUOTE) {
          this.inString = false;
          if (this.textHash) {
            this.textHash.update(bytes.subarray(this.hashedTo, i - 1));
            this.hashedTo = i - 1;
            this.arrayDone(this.textName, this.textHash.hex());
            this.textHash = null;
          }
          const len = this.length - this.stringStart;
          this.lastString = null;
          if (len <= 256)
            try {
              this.lastString = JSON.parse(
                new TextDecoder().decode(this.doc.subarray(this.stringStart, this.length)),
              ) as string;
            } catch {
              // not a string JSON reads: the document's parse refuses it
            }
          // the first key's value: "ness-checkpoint", or this is not a checkpoint (refused from its first bytes)
          if (this.formatDue && this.keys.length === 1) {
            if (this.lastString !== CHECKPOINT_FORMAT)
              this.fail(` is not a ness checkpoint (it does not begin with "format": "${CHECKPOINT_FORMAT}")`);
            this.formatDue = false;
          }
        }
        continue;
      }
      if (b === 32 || b === 9 || b === 10 || b === 13) {
        // whitespace outside strings is not hashed (a checkpoint re-indented keeps its checksum)
        this.hashUpTo(bytes, i - 1);
        this.hashedTo = i;
        continue;
      }
      if (!this.started) {
        this.started = true;
        if (b !== 123) this.fail(" is not a ness checkpoint (not JSON)");
      }
      if (b === QUOTE) {
        const keys = this.keys;
        if (
          this.afterColon &&
          keys.length === 3 &&
          keys[1] === "blocks" &&
          keys[2] === null &&
          this.key !== null &&
          STREAMED_KEYS.has(this.key)
        ) {
          this.base64 = new Base64Collector(`blocks[${this.blocks - 1}].${this.key}`, this.hash());
          this.appendText(`{"$float64":${this.arrays.length}}`);
          this.hashUpTo(bytes, i);
        } else {
          this.inString = true;
          this.stringStart = this.length;
          this.append(b);
          // an array of the replica in progress (its text kept for the document): hashed on its own
          const name = this.currentArray();
          if (name !== null) {
            this.hashUpTo(bytes, i);
            this.textHash = this.hash();
            this.textName = name;
          }
        }
        this.afterColon = false;
        continue;
      }
      this.append(b);
      if (b === 58) {
        this.afterColon = true;
        this.key = this.lastString;
        if (this.keys.length === 1) this.topKey(this.key);
        continue;
      }
      if (this.keys.length === 1 && (b === 44 || b === 125)) {
        this.checkFormatSoFar();
        if (b === 44) {
          // the file's hash up to this comma: the checksum covers the document before `,"sha256":`
          this.hashUpTo(bytes, i - 1);
          this.atComma = this.fileHash.copy();
        }
      }
      if (b === 123 || b === 91) {
        if (this.formatDue) this.checkFormatSoFar();
        this.keys.push(this.afterColon ? this.key : null);
        if (b === 91) this.fieldTexts = 0;
        if (b === 123 && this.keys.length === 3 && this.keys[1] === "blocks") this.blocks++;
      } else if (b === 125 || b === 93) this.keys.pop();
      this.afterColon = false;
      this.lastString = null;
    }
  }

  /** The name of the array whose text a string opened now is (a replica in progress's), or null. */
  private currentArray(): string | null {
    const keys = this.keys;
    if (keys.length < 4 || keys[1] !== "blocks" || keys[2] !== null || keys[3] !== "current") return null;
    const where = `blocks[${this.blocks - 1}].current`;
    if (keys.length === 4 && this.afterColon && this.key !== null && SNAPSHOT_ARRAY_KEYS.has(this.key))
      return `${where}.${this.key}`;
    if (keys.length === 5 && keys[4] === "fields" && !this.afterColon) return `${where}.fields[${this.fieldTexts++}]`;
    return null;
  }

  /** A top-level key, at its ':'. */
  private topKey(key: string | null): void {
    this.topKeys++;
    if (this.topKeys === 1) {
      if (key !== "format")
        this.fail(` is not a ness checkpoint (it does not begin with "format": "${CHECKPOINT_FORMAT}")`);
      this.formatDue = true;
    } else if (this.topKeys === 2 && key === "formatVersion") this.versionAt = this.length;
    if (key === "sha256") {
      this.checksumSeen = true;
      this.keyAfterChecksum = false;
      this.fileDigest = this.atComma ? this.atComma.copy().hex() : null;
    } else if (this.checksumSeen) this.keyAfterChecksum = true;
  }

  /** Refuses a document whose checksums are missing or do not match, naming the array that changed if one did. */
  private verify(doc: Record<string, unknown>): void {
    const sums = doc.sha256;
    if (!isObject(sums) || typeof sums.file !== "string" || !isObject(sums.arrays))
      this.fail(": the checkpoint is damaged: it has no SHA-256 checksums");
    if (this.keyAfterChecksum || this.fileDigest === null)
      this.fail(": the checkpoint is damaged: its SHA-256 checksums are not at its end");
    if (this.fileDigest === sums.file) return;
    const expected = sums.arrays;
    const changed = (what: string, hex: string) => {
      if (expected[what] !== hex)
        this.fail(
          `: the checkpoint is damaged: ${what} does not match its SHA-256 (the file was changed after it was written)`,
        );
    };
    for (const [what, hex] of this.arrayHashes) changed(what, hex);
    this.fail(
      ": the checkpoint is damaged: it does not match its SHA-256 (its counts, random states, parameters or checksums were changed after it was written)",
    );
  }

  /** The checkpoint (CheckpointError naming what is wrong). */
  end(): Checkpoint {
    if (!this.started) this.fail(" is not a ness checkpoint (not JSON)");
    if (this.base64 || this.inString || this.keys.length > 0)
      this.fail(": the checkpoint is damaged: the file ends early (was it cut short?)");
    let doc: unknown;
    try {
      doc = JSON.parse(new TextDecoder().decode(this.doc.subarray(0, this.length)));
    } catch {
      this.fail(" is not a ness checkpoint (not JSON)");
    }
    this.doc = new Uint8Array(0);
    checkHeader(doc, this.file);
    this.verify(doc);
    const checkpoint = checkpointOfDocument(doc, this.file, this.arrays, this.arrayNames);
    // Every streamed array taken: a repeated key (JSON keeps the last) left one behind, which decodeCheckpoint refuses.
    if (this.arrays.some((a) => a !== null))
      this.fail(": the checkpoint is damaged: a block's outputs or sums are given twice");
    return checkpoint;
  }
}

/** Names of the parameters as the command line writes them (for refusals). */
const FLAG_NAMES: Record<string, string> = {
  scheme: "--scheme",
  dt: "--dt",
  time: "--time",
  burnIn: "--burn-in",
  seed: "--seed",
  replicas: "--replicas",
  batches: "--batches",
  sampleEvery: "--sample-every",
};

const show = (v: unknown) => (typeof v === "string" ? v : canonicalJson(v));

/**
 * Refuses (CheckpointError, one line) a checkpoint written by another ness version, for another model or with
 * other parameters than the run about to continue it.
 *
 * @example
 * ```ts
 * import {
 *   baoab, checkpointParameters, checkRestart, decodeCheckpoint, encodeCheckpoint, loadModel, modelFingerprint,
 *   runSegmented, simulate,
 * } from "ness";
 *
 * const model = loadModel(`
 * kind: network
 * sites: [a, b]
 * pinning: 1
 * springs: [{between: [a, b], stiffness: 1}]
 * baths: [{site: a, friction: 1, temperature: 2}, {site: b, friction: 1, temperature: 1}]
 * `);
 * const options = { time: 50, seed: 1, replicas: 2 };
 * let saved = "";
 * // A run that writes a checkpoint after its first segment of 300 steps, then stops (as if killed).
 * await simulate(model, baoab({ dt: 0.05 }), options, {
 *   execute: (spec, plan) =>
 *     runSegmented(spec, plan, {
 *       segmentSteps: 300,
 *       onSegment: ({ blocks }) => {
 *         const parameters = checkpointParameters(plan);
 *         saved = encodeCheckpoint({ ness: "0", model: { fingerprint: modelFingerprint(model) }, parameters, blocks });
 *         throw new Error("stopped");
 *       },
 *     }),
 * }).catch(() => undefined);
 * // The restart continues from the checkpoint: the numbers of the run that never stopped.
 * const checkpoint = decodeCheckpoint(saved, "checkpoint.json");
 * const continued = await simulate(model, baoab({ dt: 0.05 }), options, {
 *   execute: (spec, plan) => {
 *     checkRestart(checkpoint, { ness: "0", modelFingerprint: modelFingerprint(model), parameters: checkpointParameters(plan) }, "checkpoint.json");
 *     return runSegmented(spec, plan, { segmentSteps: 10 ** 6, start: checkpoint.blocks });
 *   },
 * });
 * const whole = await simulate(model, baoab({ dt: 0.05 }), options);
 * console.log(JSON.stringify(continued.estimates) === JSON.stringify(whole.estimates)); // => true
 * ```
 */
export function checkRestart(
  c: Checkpoint,
  run: { ness: string; modelFingerprint: string; parameters: CheckpointParameters },
  file: string,
): void {
  checkCheckpointArgument(c, "checkRestart");
  requireObject(run, "checkRestart: the run");
  requireObject(run.parameters, "checkRestart: the run's parameters");
  requireString(file, "checkRestart: the file name");
  if (c.ness !== run.ness)
    throw new CheckpointError(
      `--restart ${file}: written by ness ${c.ness}, this is ness ${run.ness}; a restart continues only a run of the same version`,
    );
  if (c.model.fingerprint !== run.modelFingerprint)
    throw new CheckpointError(
      `--restart ${file}: written for another model${c.model.name ? ` ('${c.model.name}')` : ""}; give the model file of the run it continues`,
    );
  const a = c.parameters as unknown as Record<string, unknown>,
    b = run.parameters as unknown as Record<string, unknown>;
  for (const key of Object.keys(FLAG_NAMES)) {
    if (canonicalJson(a[key]) !== canonicalJson(b[key]))
      throw new CheckpointError(
        `--restart ${file}: written for ${FLAG_NAMES[key]} ${show(a[key])}, this run has ${FLAG_NAMES[key]} ${show(b[key])}; give the parameters of the run it continues`,
      );
  }
  const sa = isObject(a.settings) ? a.settings : {},
    sb = isObject(b.settings) ? b.settings : {};
  // Settings are the rules the runs actually used (checkpointParameters): an option given on the restart equal to the
  // default the first run took is no mismatch.
  const setting = (key: string, v: unknown) =>
    key === "pairHeat" && v === "chosen" ? "chosen by the run (state or trapezoid)" : show(v ?? "unset");
  // The options the user gives first (--threads, which implies counter noise, then --noise), the fused kernel last:
  // --noise counter changes the kernel the run takes, and the option the user gave is the one to name.
  const keys = [...new Set([...Object.keys(sa), ...Object.keys(sb)])].sort((x, y) => settingRank(x) - settingRank(y));
  for (const key of keys) {
    // The backend only names a cause: the same covariance from two backends continues the run.
    if (key === "linalg" || canonicalJson(sa[key]) === canonicalJson(sb[key])) continue;
    // A run of the same model (fingerprints checked above) that records no flux estimator is one where the option does
    // nothing (underdamped networks, particles): what a checkpoint of an earlier version recorded there is no mismatch.
    if (key === "fluxEstimator" && sb[key] === null) continue;
    if (key === "stationaryCovariance" && typeof sa[key] === "string" && typeof sb[key] === "string") {
      const backends =
        typeof sa.linalg === "string" && typeof sb.linalg === "string" && sa.linalg !== sb.linalg
          ? `: written with ${sa.linalg}, this run has ${sb.linalg}`
          : "";
      throw new CheckpointError(
        `--restart ${file}: the exact starting covariance differs from the one of the run that wrote the checkpoint (fingerprint ${fingerprintHead(sa[key])}…, this run ${fingerprintHead(sb[key])}…): for the same model, most likely computed by another linear-algebra backend (NESS_LINALG, or WebAssembly relaxed SIMD present or not, e.g. after a Node upgrade)${backends}; run with the backend setting of that run, or run again without --restart`,
      );
    }
    const name = SETTING_FLAGS[key] ? `${key} (${SETTING_FLAGS[key]})` : key;
    throw new CheckpointError(
      `--restart ${file}: written with ${name} ${setting(key, sa[key])}, this run has ${setting(key, sb[key])}; give the parameters of the run it continues`,
    );
  }
}

/** The command-line options behind the settings a user gives (the others follow from the model and these). */
const SETTING_FLAGS: Record<string, string> = {
  fluxEstimator: "--flux-estimator",
  pairHeat: "--pair-heat",
  noise: "--noise",
  split: "--threads",
  fields: "--field",
};

const settingRank = (key: string) => ["split", "noise"].indexOf(key) + 1 || (key === "fused" ? 4 : 3);

const fingerprintHead = (v: string) => v.slice(0, 8);
