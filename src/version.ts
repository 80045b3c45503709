/** The version of ness (package.json's; a test checks they agree). Recorded with every stored result. */
export const NESS_VERSION = "0.1.0";
