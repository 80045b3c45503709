/**
 * A WebAssembly module compiled from base64 on first use: the getter returns the module, or null where WebAssembly
 * (SIMD) is missing or refuses it, and null while a browser's main thread compiles it in the background (it refuses
 * synchronous compiles of modules over 4 KB; the next call after that finishes gets the module).
 */
export function lazyWasmModule(base64: string): () => WebAssembly.Module | null {
  let compiled: WebAssembly.Module | null | undefined;
  let pending = false;
  return () => {
    if (compiled !== undefined) return compiled;
    if (typeof WebAssembly !== "object") return (compiled = null);
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      const s = atob(base64);
      bytes = new Uint8Array(new ArrayBuffer(s.length));
      for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
      if (!WebAssembly.validate(bytes)) return (compiled = null);
    } catch {
      return (compiled = null);
    }
    try {
      compiled = new WebAssembly.Module(bytes);
    } catch {
      if (!pending) {
        pending = true;
        WebAssembly.compile(bytes).then(
          (mod) => {
            compiled = mod;
          },
          () => {
            compiled = null;
          },
        );
      }
      return null;
    }
    return compiled;
  };
}
