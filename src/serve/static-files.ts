import { existsSync, readFileSync, statSync } from "node:fs";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** The built page: `dist/web/` of the package (the Vite build writes it there). */
export function defaultWebRoot(): string {
  return fileURLToPath(new URL("../../dist/web/", import.meta.url));
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".map": "application/json",
  ".txt": "text/plain; charset=utf-8",
};

/** Shown until the page is built: says how to build it; no script. */
const PLACEHOLDER = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>biograd</title></head>
<body><h1>biograd serve</h1>
<p>The page is not built. Run <code>npm run build:web</code> in biograd's folder, then reload.</p>
<p>The JSON API is running: see docs/SERVE.md.</p></body></html>
`;

export interface StaticFile {
  body: Uint8Array | string;
  type: string;
  /** Vite's hashed assets never change; index.html always may. */
  immutable: boolean;
}

/**
 * The file of the built page for a URL path, or null (404). `/` is index.html (the
 * placeholder when there is no build). Only files under `root` are served: the path is
 * decoded and resolved, and anything that leaves `root` (`..`, encoded or not) is null.
 */
export function staticFile(root: string, urlPath: string): StaticFile | null {
  const base = resolve(root);
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes("\0")) return null;
  const rel = decoded === "/" || decoded === "" ? "index.html" : decoded.replace(/^\/+/, "");
  const path = resolve(join(base, rel));
  if (path !== base && !path.startsWith(base + sep)) return null;
  if (!existsSync(path) || !statSync(path).isFile()) {
    if (rel === "index.html") return { body: PLACEHOLDER, type: TYPES[".html"]!, immutable: false };
    return null;
  }
  const type = TYPES[extname(path).toLowerCase()] ?? "application/octet-stream";
  return { body: readFileSync(path), type, immutable: rel.startsWith("assets/") };
}
