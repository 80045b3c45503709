// Types of scripts/wasm-fingerprint.js for its test.
export declare const GENERATED: { output: string; source: string }[];
export declare function inputsFingerprint(root: string): string;
export declare function textHash(body: string): string;
export declare function headerLine(source: string, inputs: string, body: string, assemblyscript: string): string;
export declare function checkGenerated(root: string): { output: string; upToDate: boolean; reason: string }[];
