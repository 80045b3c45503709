/** The version of ness (package.json's; a test checks they agree), written into every results document and recorded with every stored sweep result. */
export const VERSION = "0.1.0";
/** The same version under the name the sweep store uses. */
export const NESS_VERSION = VERSION;
