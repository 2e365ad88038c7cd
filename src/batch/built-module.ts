import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

/**
 * The compiled file of a module, for worker threads (Node 20 workers cannot load .ts files):
 * the module itself when it exists as written (running from dist/, or from the CLI's bundle,
 * where each module's URL names its own entry in dist-cli/: scripts/bundle-cli.mjs), else the
 * build's copy — the same path with its last `/src/` replaced by `/dist/` (running from src/
 * under a TypeScript loader, as the tests do). Throws naming both places when neither exists.
 */
export function builtModule(url: URL): URL {
  // A module's own URL (import.meta.url) under a TypeScript loader names its .ts source.
  const here = fileURLToPath(url).replace(/\.ts$/, ".js");
  if (existsSync(here)) return pathToFileURL(here);
  const at = here.lastIndexOf("/src/");
  const built = at < 0 ? null : `${here.slice(0, at)}/dist/${here.slice(at + 5)}`;
  if (built !== null && existsSync(built)) return pathToFileURL(built);
  throw new Error(
    `batch: compiled module not found at ${here}${built ? ` or ${built}` : ""}; run \`npm run build\``,
  );
}
