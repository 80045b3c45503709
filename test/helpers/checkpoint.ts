// Checkpoint texts made by hand for tests of the refusals that come after the checksum (another model, a block that
// does not fit, ...): the document's checksums computed as ness writes them (checkpointPieces), by Node's SHA-256.
import { createHash } from "node:crypto";

const sha256 = (t: string) => createHash("sha256").update(t).digest("hex");
const ARRAY = /"(outputs|sums|p|x|f|xPrev|fPrev|scalars|burnSums|forces)":"([^"\\]*)"/g;
const FIELDS = /"fields":\[("[^"\\]*"(?:,"[^"\\]*")*)\]/g;

/**
 * The text of a checkpoint document (compact JSON) with its checksums put at its end, replacing any it had: "file"
 * the SHA-256 of the text before `,"sha256":` with each array's text (a block's outputs and sums, a replica's x, f,
 * ..., fields) replaced by its SHA-256, as ness takes it; "arrays" left empty (they only name a damaged array). The
 * text is edited as text (not parsed): a key given twice stays twice.
 */
export function resign(text: string): string {
  const at = text.lastIndexOf(',"sha256":');
  const body = at >= 0 ? text.slice(0, at) : text.trimEnd().slice(0, -1);
  const hashed = body
    .replace(ARRAY, (_, key: string, t: string) => `"${key}":"${sha256(t)}"`)
    .replace(
      FIELDS,
      (_, list: string) =>
        `"fields":[${list
          .split(",")
          .map((q) => `"${sha256(q.slice(1, -1))}"`)
          .join(",")}]`,
    );
  return `${body},"sha256":{"arrays":{},"file":"${sha256(hashed)}"}}\n`;
}

/** A document made by hand as a checkpoint's text with its checksums. */
export const signed = (doc: object): string => resign(JSON.stringify(doc));
