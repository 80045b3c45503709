/** The version of ness (package.json's; a test checks they agree), written into every results document. */
export const VERSION = "0.1.0";
