import { existsSync, readFileSync, statSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";

/**
 * Paths of files a process loaded, with each file of the CLI's bundle (scripts/bundle-cli.mjs:
 * dist/cli/main.js and dist-cli/) replaced by the modules it holds, named as in tsc's build:
 * `src/cli/fit.ts` becomes `ROOT/dist/cli/fit.js`, a bundled package's file its path under
 * `ROOT/node_modules/`. So a check of what a command loads reads the same for both builds.
 * A bundle file is expanded only when its size is the one the build recorded (a later
 * tsc-only build rewrites dist/cli/main.js); other paths pass through.
 */
export function expandBundled(root: string, paths: readonly string[]): string[] {
  const mapFile = join(root, "dist-cli", "modules.json");
  if (!existsSync(mapFile)) return [...paths];
  const map = JSON.parse(readFileSync(mapFile, "utf8")) as Record<
    string,
    { bytes: number; inputs: string[] }
  >;
  return paths.flatMap((p) => {
    const rel = isAbsolute(p) ? relative(root, p) : p;
    const entry = map[rel];
    if (entry === undefined || !existsSync(p) || statSync(p).size !== entry.bytes) return [p];
    return entry.inputs.map((input) =>
      input.startsWith("src/")
        ? join(root, "dist", input.slice(4).replace(/\.ts$/, ".js"))
        : join(root, input),
    );
  });
}
