import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

/**
 * The page of `biograd serve`: web/ built to dist/web/ with hashed file names, every script
 * and style an external file (the server's Content-Security-Policy forbids inline script and
 * remote origins), no source maps in the shipped build.
 */
const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root,
  base: "/",
  logLevel: "warn",
  build: {
    outDir: fileURLToPath(new URL("../dist/web", import.meta.url)),
    emptyOutDir: true,
    // Vega and Vega-Lite make one large chunk; the page is served from the same machine.
    chunkSizeWarningLimit: 3000,
    // No inline `data:` assets: every file is its own request to 'self'.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
