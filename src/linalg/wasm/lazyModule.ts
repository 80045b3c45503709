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
    if (pending) return null; // compiling in the background: no second decode per call meanwhile
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

/**
 * An instance of `module` (compiled with `--importMemory`: it imports env.memory) over a new memory of at least
 * `bytes` bytes, holding a copy of `old`'s contents when given: what a kernel does instead of `Memory.grow`. Growing
 * a memory detaches its old ArrayBuffer, and V8 (Node 20) answers the first detach in a process by dropping an
 * assumption its optimised code makes about every typed array (no buffer is ever detached): every function that
 * reads typed arrays is deoptimised and recompiled with a check per access. Measured: a run of 10^4 soft disks on
 * the split path took 1.15-1.2x the CPU time after one `grow` anywhere in the process. A new memory leaves the old
 * one to the garbage collector, detaching nothing. Throws where the memory cannot be had.
 */
export function instanceWithMemory(
  module: WebAssembly.Module,
  bytes: number,
  old: WebAssembly.Memory | null = null,
  env: Record<string, WebAssembly.ImportValue> = {},
): { instance: WebAssembly.Instance; memory: WebAssembly.Memory } {
  const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) });
  if (old !== null) new Uint8Array(memory.buffer).set(new Uint8Array(old.buffer));
  return { instance: new WebAssembly.Instance(module, { env: { ...env, memory } }), memory };
}
