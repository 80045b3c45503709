// Types of scripts/build-stamp.js for its test.
export declare function inputsFingerprint(root?: string): string;
export declare function outputsHash(root?: string): string;
/** `shell`: the process id naming the build (by default the parent shell's). */
export declare function beginBuild(root?: string, shell?: number): void;
/** `shells`: the process ids naming the build this end step belongs to (by default its parent's and its own). */
export declare function endBuild(root?: string, shells?: number[]): boolean;
export declare function checkBuild(root?: string): { fresh: true } | { fresh: false; reason: string };
