// Vite build of the ness lab: a static site (relative URLs, deployable as plain files) in dist/lab; the library's
// browser-safe core is bundled from src/ and the simulation Web Worker as an ES module.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "./",
  logLevel: "warn",
  build: {
    outDir: fileURLToPath(new URL("../dist/lab", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    chunkSizeWarningLimit: 2000,
    reportCompressedSize: false,
    rollupOptions: {
      // zod's sources carry /* @__PURE__ */ comments in places Rollup ignores (harmless, and noisy).
      onwarn(warning, warn) {
        if (warning.code !== "INVALID_ANNOTATION") warn(warning);
      },
    },
  },
  worker: { format: "es" },
  server: { host: "127.0.0.1" },
});
