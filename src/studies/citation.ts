/** The shape of a citation (its own module: the contract and the list of citations both use it). Browser-safe. */

/** A published work a study reproduces or relies on (verified fields only). */
export interface Citation {
  /** Short key, e.g. "Boffi & De Gregorio 2024". */
  key: string;
  /** Authors as printed, e.g. "T. Boffi and P. De Gregorio". */
  authors: string;
  /** Empty where the title could not be checked against a published source. */
  title: string;
  /** Journal and reference, or "arXiv:1306.1551 (2013)", or "lecture notes, ..." */
  venue: string;
  /** Short form for captions: "Boffi & De Gregorio, Entropy 26, 1087 (2024)". */
  short: string;
  doi?: string;
  arxiv?: string;
}
