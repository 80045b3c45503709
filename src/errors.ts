/**
 * User-facing errors: bad input or a physical system without the requested answer. The CLI prints their message
 * alone (no stack trace) and exits non-zero; library users can catch them by class.
 */

export class NessError extends Error {
  override name = "NessError";
}

/** A model file or parameter set that does not describe a valid system. */
export class ModelError extends NessError {
  override name = "ModelError";
  constructor(message: string, readonly source?: string) {
    super(source ? `${source}: ${message}` : message);
  }
}

/** A valid model whose steady state does not exist or is not unique. */
export class SteadyStateError extends NessError {
  override name = "SteadyStateError";
}
