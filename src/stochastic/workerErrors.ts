/**
 * The error reply of a browser simulation worker (webWorker.ts), read by webWorkerRunner (webPool.ts): apart from
 * both, so that neither imports the other. Browser-safe.
 */
import { NessError } from "../errors.js";

/**
 * A worker's reply for a block that failed: a NessError (user-caused) by its class name; anything else is a bug in
 * ness, marked `internal` so that the page can say so ("internal error", as the CLI does) rather than show it as the
 * user's fault.
 */
export interface ErrorReply {
  type: "error";
  name: string;
  message: string;
  internal?: true;
}

/** The reply webWorker.ts posts for a block that threw `err`. */
export function errorReply(err: unknown): ErrorReply {
  if (err instanceof NessError) return { type: "error", name: err.name, message: err.message };
  const e = err as { name?: unknown; message?: unknown } | null | undefined;
  const message = typeof e?.message === "string" ? e.message : String(err);
  return { type: "error", name: typeof e?.name === "string" ? e.name : "Error", message, internal: true };
}
