// Bundles the CLI with esbuild: a fit then loads a few files instead of ~280 ES modules
// (resolving, reading and linking each one was most of its start-up, bench/startup/RESULTS.md).
// Run by `npm run build` after tsc; the library (dist/index.js) stays tsc's build.
//   node scripts/bundle-cli.mjs [--metafile]
//
// Layout. The CLI's entry is written over tsc's dist/cli/main.js (so `bin`, `npm run demo`,
// the README and the tests that spawn it run the bundle; a tsc-only build still works). Every
// module that code loads by URL — `new URL("./x.js", import.meta.url)`: worker scripts and
// job modules — is an entry of its own in dist-cli/, at its path under src/ (dist-cli/tasks/
// fit-groups-chunk.js …); code shared by entries goes to dist-cli/chunks/, loaded when a
// command first needs it (splitting, format esm).
//
// import.meta.url. Bundled code would see the URL of the chunk it landed in. Each source
// module's `import.meta.url` is therefore replaced by the URL its own file has in the
// dist-cli/ mirror of src/, which sits beside dist/ like src/: `../package.json`,
// `../../assets/…`, `../../dist/web/` resolve as from tsc's build, and `./fit-groups-chunk.js`
// names the bundled entry, so a worker and the main thread share one copy of each module. The
// replacement is relative to the output file, so every output file must sit two directories
// below the package root (checked below).
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const src = join(root, "src");
const MIRROR = "dist-cli";

// Small pure-JS packages on the common paths are bundled (zod alone is ~95 modules); the rest
// stay imports: piscina finds its worker script beside itself, @resvg is native, mathjs and
// SheetJS are required on first use, and vega, hono, bullmq are large and load per command.
const BUNDLED = new Set(["zod", "commander", "csv-parse", "yaml", "cli-progress"]);

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sourceFiles(join(dir, e.name))
      : e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")
        ? [join(dir, e.name)]
        : [],
  );
}

// Modules loaded by URL: every `new URL("<relative>.js", import.meta.url)` in src/.
const BY_URL = /new URL\(\s*"(\.{1,2}\/[^"]+)\.js"\s*,\s*import\.meta\.url\s*\)/g;
const loadedByUrl = new Set();
for (const file of sourceFiles(src)) {
  for (const m of readFileSync(file, "utf8").matchAll(BY_URL)) {
    loadedByUrl.add(relative(src, join(dirname(file), `${m[1]}.ts`)));
  }
}
const cliEntry = [{ in: join(src, "cli", "main.ts"), out: join("dist", "cli", "main") }];
const workerEntries = [...loadedByUrl].sort().map((rel) => ({
  in: join(src, rel),
  out: join(MIRROR, rel.replace(/\.ts$/, "")),
}));

const importMetaUrl = {
  name: "import-meta-url",
  setup(b) {
    b.onLoad({ filter: /\/src\/.*\.ts$/ }, (args) => {
      const text = readFileSync(args.path, "utf8");
      // import.meta.dirname / .filename would name the chunk's place too: not mapped, refused.
      const other = /import\.meta\.(?!url\b)\w+/.exec(text);
      if (other) throw new Error(`${relative(root, args.path)}: ${other[0]} (use import.meta.url)`);
      if (!text.includes("import.meta.url")) return undefined;
      const mirrored = `../../${MIRROR}/${relative(src, args.path).replace(/\.ts$/, ".js")}`;
      return {
        contents: text.replaceAll(
          "import.meta.url",
          `new URL(${JSON.stringify(mirrored)}, import.meta.url).href`,
        ),
        loader: "ts",
      };
    });
  },
};

const externalPackages = {
  name: "external-packages",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      const name = args.path.startsWith("@")
        ? args.path.split("/").slice(0, 2).join("/")
        : args.path.split("/")[0];
      return BUNDLED.has(name) ? undefined : { path: args.path, external: true };
    });
  },
};

// zod's namespace re-exports its ~40 message locales (345 kB of the 700 kB it bundles to);
// biograd uses English only (`en`, which zod configures itself). Without this the locales
// are bundled as before: still correct, only bigger.
const englishOnlyZod = {
  name: "english-only-zod",
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /\/node_modules\/zod\/v4\/(classic|core)\/[^/]+$/.test(args.importer)
        ? { path: join(dirname(args.importer), "..", "locales", "en.js"), namespace: "zod-en" }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "zod-en" }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: dirname(args.path),
    }));
  },
};

/** One esbuild run: its entries share chunks in `chunkDir`; returns the metafile. */
async function bundle(entryPoints, chunkDir) {
  const result = await build({
    absWorkingDir: root,
    entryPoints,
    outdir: root,
    chunkNames: `${MIRROR}/${chunkDir}/[name]-[hash]`,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    // Identifiers kept: stack traces (BIOGRAD_DEBUG=1) stay readable.
    minifySyntax: true,
    sourcemap: "linked",
    legalComments: "none",
    // CommonJS packages bundled into ES modules call require() for Node's built-ins.
    banner: {
      js: 'import { createRequire as __biogradCreateRequire } from "node:module";\nconst require = __biogradCreateRequire(import.meta.url);',
    },
    plugins: [externalPackages, englishOnlyZod, importMetaUrl],
    metafile: true,
    logLevel: "warning",
  });
  return result.metafile;
}

// Two builds. The command line's: one entry, a chunk per command (its dynamic imports). The
// worker threads': every module loaded by URL, sharing chunks among themselves. Both sets of
// modules live in one thread only (the main thread never imports a module by URL), so the two
// copies of shared code never meet; sharing chunks across both split them into many small files.
rmSync(join(root, MIRROR), { recursive: true, force: true });
const metas = [await bundle(cliEntry, "cli-chunks"), await bundle(workerEntries, "chunks")];
const outputs = metas.flatMap((m) => Object.entries(m.outputs).filter(([f]) => f.endsWith(".js")));
const misplaced = outputs.filter(([f]) => f.split("/").length !== 3);
if (misplaced.length > 0) {
  throw new Error(`bundle-cli: outputs not two directories deep: ${misplaced.map(([f]) => f)}`);
}
// Which source modules and packages each output file holds (root-relative paths), for tests
// that check what a command loads (test/helpers/cli-bundle.ts) and for reading profiles.
const modules = Object.fromEntries(
  outputs.map(([f, o]) => [
    f,
    {
      bytes: o.bytes,
      inputs: Object.keys(o.inputs).map((i) => i.replace(/^.*node_modules\//, "node_modules/")),
    },
  ]),
);
writeFileSync(join(root, MIRROR, "modules.json"), `${JSON.stringify(modules, null, 1)}\n`);
if (process.argv.includes("--metafile")) {
  const merged = { inputs: {}, outputs: {} };
  for (const m of metas) {
    Object.assign(merged.inputs, m.inputs);
    Object.assign(merged.outputs, m.outputs);
  }
  writeFileSync(join(root, MIRROR, "meta.json"), JSON.stringify(merged));
}
const kb = outputs.reduce((s, [, o]) => s + o.bytes, 0) / 1024;
console.log(
  `bundle-cli: ${outputs.length} files, ${kb.toFixed(0)} kB (${MIRROR}/, dist/cli/main.js)`,
);
