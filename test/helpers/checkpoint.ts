// Checkpoint texts made by hand for tests of the refusals that come after the checksum (another model, a block that
// does not fit, ...): the document's checksums computed as ness writes them (checkpointPieces), by Node's SHA-256.
import { createHash } from "node:crypto";

/**
 * The text of a checkpoint document (compact JSON) with its checksums put at its end, replacing any it had: "file"
 * the SHA-256 of the text before `,"sha256":`, "arrays" left empty (they only name a damaged array).
 */
export function resign(text: string): string {
  const at = text.lastIndexOf(',"sha256":');
  const body = at >= 0 ? text.slice(0, at) : text.trimEnd().slice(0, -1);
  const file = createHash("sha256").update(body).digest("hex");
  return `${body},"sha256":{"arrays":{},"file":"${file}"}}\n`;
}

/** A document made by hand as a checkpoint's text with its checksums. */
export const signed = (doc: object): string => resign(JSON.stringify(doc));
