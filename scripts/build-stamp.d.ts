// Types of scripts/build-stamp.js for its test.
export declare function inputsFingerprint(root?: string): string;
export declare function outputsHash(root?: string): string;
export declare function beginBuild(root?: string): void;
export declare function endBuild(root?: string): boolean;
export declare function checkBuild(root?: string): { fresh: true } | { fresh: false; reason: string };
