// Types of scripts/chromium.js for the TypeScript tests that import it.
import type { BrowserContext } from "playwright-core";

export declare const CHROMIUM: string;
export declare const CHROMIUM_FLAGS: readonly string[];
export declare const LAB_VIEWPORT: { readonly width: number; readonly height: number };
export declare function haveChromium(): boolean;
export interface LaunchedChromium {
  context: BrowserContext;
  profile: string;
  close(): Promise<void>;
}
export declare function launchChromium(options?: {
  prefix?: string;
  viewport?: { width: number; height: number };
}): Promise<LaunchedChromium>;
