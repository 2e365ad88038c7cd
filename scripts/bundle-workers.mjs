// Bundles each job module that worker threads load into one CommonJS file beside its ES module
// entry in dist-cli/ (dist-cli/tasks/fit-groups-chunk.cjs), which src/batch/worker-entry.ts
// loads instead, compiled with V8's code cache (src/batch/cached-module.ts): a worker thread
// then starts without linking the ES module bundle and without compiling it again — about a
// third of a worker's start-up. Run by `npm run build` after scripts/bundle-cli.mjs (which
// empties dist-cli/ first). A build without it still works: the worker imports the .js entry.
//   node scripts/bundle-workers.mjs
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// The job modules of worker pools run by the CLI (their ES module entries: bundle-cli.mjs), and
// the pools' worker script: piscina requires a CommonJS script (src/batch/pool-start.ts names
// the .cjs), so a thread starts without Node's ES module loader — ~10-20 ms of CPU and 25-60 ms
// of a thread's start-up each (a trivial worker, Node 20, this machine).
const JOB_MODULES = ["tasks/fit-groups-chunk", "batch/worker-entry"];
// As in bundle-cli.mjs: mathjs is required on first use, piscina finds its worker beside itself.
const EXTERNAL = ["mathjs", "mathjs/*", "piscina"];

for (const rel of JOB_MODULES) {
  const entry = join(root, "dist-cli", `${rel}.js`);
  if (!existsSync(entry)) throw new Error(`bundle-workers: ${entry} missing; run bundle-cli first`);
  await build({
    entryPoints: [join(root, "src", `${rel}.ts`)],
    outfile: join(root, "dist-cli", `${rel}.cjs`),
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    external: EXTERNAL,
    logLevel: "warning",
    // As the CLI's bundle: identifiers kept (readable stack traces), comments out.
    minifySyntax: true,
    legalComments: "none",
    sourcemap: "linked",
    // import.meta.url (createRequire for mathjs) is the ES entry's URL: the same directory, so
    // packages resolve as from the entry.
    define: { "import.meta.url": "__entryUrl" },
    banner: {
      js: `const __entryUrl = require("node:url").pathToFileURL(__filename.replace(/\\.cjs$/, ".js")).href;`,
    },
  });
}
console.log(`bundle-workers: ${JOB_MODULES.length} worker module(s) as CommonJS in dist-cli/`);
