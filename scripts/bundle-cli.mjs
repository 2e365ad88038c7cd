// Bundles the CLI with esbuild: a fit then loads 4 files instead of ~280 ES modules
// (resolving, reading and linking each one was most of its start-up, bench/startup/RESULTS.md).
// Run by `npm run build` after tsc; the library (dist/index.js) stays tsc's build.
//   node scripts/bundle-cli.mjs [--metafile]
//
// Layout. The CLI's entry is written over tsc's dist/cli/main.js (so `bin`, `npm run demo`,
// the README and the tests that spawn it run the bundle; a tsc-only build still works); it
// holds main.ts and io.ts only. Every module of src/cli/ that another one imports on demand
// (`import("./x.js")`: the program, each command, parts such as fit-picture) is one
// self-contained CommonJS file, dist-cli/cli/x.cjs, loaded with require (no ES module loader,
// no export scan; its own on-demand imports of other modules are kept in the file and run
// when first called, and the packages they import are required then). The queue's and the
// server's modules that commands import on demand are dist-cli/queue/parts.cjs and
// dist-cli/serve/parts.cjs; zod and commander are dist-cli/vendor/zod.cjs and commander.cjs,
// one copy for all of them. So `biograd fit` loads main.js, cli/program.cjs,
// vendor/commander.cjs and cli/fit.cjs (a plain fit loads no zod: the CLI checks its own
// request); every other command line loads cli/program-commands.cjs too.
// Every module that code loads by URL — `new URL("./x.js", import.meta.url)`: worker scripts
// and job modules — is an ES module entry of a separate build in dist-cli/, at its path under
// src/ (dist-cli/tasks/fit-groups-chunk.js …), with code shared by them in dist-cli/chunks/.
//
// import.meta.url. Bundled code would see the URL of the chunk it landed in. Each source
// module's `import.meta.url` is therefore replaced by the URL its own file has in the
// dist-cli/ mirror of src/, which sits beside dist/ like src/: `../package.json`,
// `../../assets/…`, `../../dist/web/` resolve as from tsc's build, and `./fit-groups-chunk.js`
// names the worker build's entry. The replacement is relative to the output file, so every output file must sit two directories
// below the package root (checked below).
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build, transformSync } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const src = join(root, "src");
const MIRROR = "dist-cli";

// Small pure-JS packages on the common paths are bundled (zod alone is ~95 modules); the rest
// stay imports: piscina finds its worker script beside itself, @resvg is native, mathjs and
// SheetJS are required on first use, and vega, hono, bullmq are large and load per command.
const BUNDLED = new Set(["zod", "commander", "csv-parse", "yaml", "cli-progress"]);

/** The package a bare specifier names: `@scope/name` or `name`. */
const packageName = (specifier) =>
  specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0];

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
const workerEntries = [...loadedByUrl].sort().map((rel) => ({
  in: join(src, rel),
  out: join(MIRROR, rel.replace(/\.ts$/, "")),
}));

/** `import.meta.url` of each source module, as the URL of its file in the dist-cli/ mirror. */
const importMetaUrl = (format) => ({
  name: "import-meta-url",
  setup(b) {
    b.onLoad({ filter: /\/src\/.*\.ts$/ }, (args) => {
      let text = readFileSync(args.path, "utf8");
      // A package imported on demand (vega, resvg): through main.ts's import when the file is
      // compiled by src/cli/bundle-loader.ts (code compiled by vm.Script cannot import()).
      // A bundled package imported on demand (cli-progress for a terminal's bar) stays in the
      // file, initialised when first imported.
      if (format === "cjs") {
        text = text.replace(/(?<!typeof\s*)\bimport\("([^".][^"]*)"\)/g, (call, specifier) =>
          BUNDLED.has(packageName(specifier))
            ? call
            : `(globalThis.__biogradImport ?? ((s) => import(s)))(${JSON.stringify(specifier)})`,
        );
      }
      // import.meta.dirname / .filename would name the chunk's place too: not mapped, refused.
      const other = /import\.meta\.(?!url\b)\w+/.exec(text);
      if (other) throw new Error(`${relative(root, args.path)}: ${other[0]} (use import.meta.url)`);
      if (!text.includes("import.meta.url")) return { contents: text, loader: "ts" };
      const mirrored = `../../${MIRROR}/${relative(src, args.path).replace(/\.ts$/, ".js")}`;
      // A CommonJS bundle has no import.meta: its own file's URL comes from __filename.
      const own =
        format === "cjs" ? 'require("node:url").pathToFileURL(__filename)' : "import.meta.url";
      return {
        contents: text.replaceAll(
          "import.meta.url",
          `new URL(${JSON.stringify(mirrored)}, ${own}).href`,
        ),
        loader: "ts",
      };
    });
  },
});

/** Packages each in a file of its own, dist-cli/vendor/NAME.cjs, shared by the command bundles. */
const VENDOR = new Set(["zod", "commander"]);
const externalPackages = (shared) => ({
  name: "external-packages",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      const name = packageName(args.path);
      // One copy of zod and of commander for every command bundle of a process
      // (dist-cli/vendor/): a second copy would cost its set-up again, and commander's objects
      // pass from the program's file to program-commands.cjs.
      if (shared && VENDOR.has(args.path))
        return { path: `../vendor/${args.path}.cjs`, namespace: "boundary" };
      return BUNDLED.has(name) ? undefined : { path: args.path, external: true };
    });
  },
});

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

// Command boundaries. Every `import("./x.js")` from one src/cli/ module of another (a command
// in program.ts, a part loaded on demand such as fit-picture) loads x's own bundle,
// dist-cli/cli/x.cjs, through require: no ES module loader, no export scan.
const cliDir = join(src, "cli");
const commands = new Set(["program"]);
for (const file of sourceFiles(cliDir)) {
  for (const m of readFileSync(file, "utf8").matchAll(/import\("\.\/([\w-]+)\.js"\)/g)) {
    commands.add(m[1]);
  }
}
// The queue's and the server's modules, which src/cli/ imports on demand too, are two more
// bundles (dist-cli/queue/parts.cjs, dist-cli/serve/parts.cjs), each holding every module of
// its directory that src/cli/ imports: inlined, the program's bundle would hold the server.
const PART_DIRS = ["queue", "serve"];
const parts = Object.fromEntries(PART_DIRS.map((d) => [d, new Set()]));
for (const file of sourceFiles(cliDir)) {
  for (const m of readFileSync(file, "utf8").matchAll(/import\("\.\.\/(\w+)\/([\w-]+)\.js"\)/g)) {
    parts[m[1]]?.add(m[2]);
  }
}
const commandBoundaries = (fromDir) => ({
  name: "command-boundaries",
  setup(b) {
    b.onResolve({ filter: /^\.\.?\/[\w-]+(\/[\w-]+)?\.js$/ }, (args) => {
      if (args.kind !== "dynamic-import" || dirname(args.importer) !== cliDir) return undefined;
      const sibling = /^\.\/([\w-]+)\.js$/.exec(args.path);
      const part = /^\.\.\/(\w+)\/([\w-]+)\.js$/.exec(args.path);
      if (!sibling && !(part && parts[part[1]]?.has(part[2]))) return undefined;
      const target = sibling
        ? join(root, MIRROR, "cli", `${sibling[1]}.cjs`)
        : join(root, MIRROR, part[1], "parts.cjs");
      const from = relative(join(root, fromDir), target);
      // One virtual module per imported module (esbuild keeps one module per path).
      return { path: part ? `${from}#${part[2]}` : from, namespace: "boundary" };
    });
    b.onLoad({ filter: /.*/, namespace: "boundary" }, (args) => {
      const [path, part] = args.path.split("#");
      const file = JSON.stringify(path.startsWith(".") ? path : `./${path}`);
      const key = part === undefined ? "" : `.default[${JSON.stringify(part)}]`;
      // main.ts's loader keeps V8's code cache of each bundle on Node 20 (src/cli/bundle-loader.ts).
      const load = `globalThis.__biogradLoadBundle?.(require.resolve(${file})) ?? require(${file})`;
      if (path.endsWith("/vendor/zod.cjs")) return { contents: lazyZod(load), loader: "js" };
      return { contents: `module.exports = (${load})${key};`, loader: "js" };
    });
    b.onResolve({ filter: /\.cjs$/, namespace: "boundary" }, (args) => ({
      path: args.path,
      external: true,
    }));
  },
});
// zod's exports, as getters that require dist-cli/vendor/zod.cjs when one is first read: a
// module that imports zod but builds its schemas on first use (src/core/lazy-schema.ts) then
// costs nothing until a schema is used — zod's own set-up was ≈ 20 ms of a grouped fit's
// start-up (bench/startup/RESULTS.md). The names are the zod package's (the vendor file
// re-exports them all); `__esModule` is the vendor file's, so importers see what they saw.
const ZOD_EXPORTS = Object.keys(await import("zod")).filter((k) => k !== "default");
const lazyZod = (load) =>
  [
    "let zod;",
    `const get = (key) => (zod ??= ${load})[key];`,
    'Object.defineProperty(module.exports, "__esModule", { value: true });',
    `for (const key of ${JSON.stringify(["default", ...ZOD_EXPORTS])})`,
    "  Object.defineProperty(module.exports, key, { enumerable: true, get: () => get(key) });",
  ].join("\n");

/** A part bundle's entry: `{ "open-queue": <its namespace>, … }` as its exports. */
const partsEntry = (dir) => ({
  name: `parts-${dir}`,
  setup(b) {
    b.onResolve({ filter: new RegExp(`^parts:${dir}$`) }, () => ({
      path: dir,
      namespace: "parts",
    }));
    b.onLoad({ filter: /.*/, namespace: "parts" }, () => {
      const names = [...parts[dir]].sort();
      return {
        contents: [
          ...names.map(
            (n, i) => `import * as m${i} from ${JSON.stringify(join(src, dir, `${n}.ts`))};`,
          ),
          `export default { ${names.map((n, i) => `${JSON.stringify(n)}: m${i}`).join(", ")} };`,
        ].join("\n"),
        resolveDir: join(src, dir),
        loader: "js",
      };
    });
  },
});

// Modules a command's file requires at its start but uses only on some paths: each is
// required when a property of it is first read (a Proxy), not when the file loads. child_process
// (commander's executable subcommands, `serve --open`) also loads net; crypto (temporary names of
// files written atomically) and piscina (a pool, not `--workers 0`) likewise cost milliseconds
// of a fit's start-up each (bench/startup/RESULTS.md). esbuild has no such option, so:
// - an import of one of them from src/ (named imports only: esbuild emits
//   `var import_x = require("x")` and reads `import_x.name` where used) is rewritten in the
//   CommonJS output's text to `__lazyR("x")`, as long as `require(`, so the source maps stay
//   exact. Nothing else is touched: not `const { a } = require("x")`, nor code held in strings
//   (a worker's source), nor default imports (wrapped by __toESM, which reads every key);
// - commander's `require('node:child_process')` is rewritten the same way as it is bundled.
const LAZY_REQUIRES = ["child_process", "crypto", "net", "os", "tty", "readline", "worker_threads"];
const LAZY_REQUIRE = new RegExp(
  `(\\bimport_[\\w$]+ = )require\\("((?:node:)?(?:${LAZY_REQUIRES.join("|")})|piscina)"\\)`,
  "g",
);
const lazyBanner = {
  js:
    "var __lazyR = (id) => { let m; const load = () => (m ??= require(id)); " +
    "return new Proxy({}, { get: (_, k) => load()[k], has: (_, k) => k in load(), " +
    "ownKeys: () => Reflect.ownKeys(load()), getPrototypeOf: () => Reflect.getPrototypeOf(load()), " +
    "getOwnPropertyDescriptor(_, k) { const d = Reflect.getOwnPropertyDescriptor(load(), k); " +
    "return d && { ...d, configurable: true }; } }); };",
};
/** Rewrites a CommonJS output's imports of LAZY_REQUIRES (see above). */
function lazyRequires(file) {
  const text = readFileSync(join(root, file), "utf8");
  const lazy = text.replace(
    LAZY_REQUIRE,
    (_, binding, id) => `${binding}__lazyR(${JSON.stringify(id)})`,
  );
  if (lazy !== text) writeFileSync(join(root, file), lazy);
}
// esbuild escapes every non-ASCII character of strings and names (charset "ascii") but not of
// the comments it keeps (in object literals, class bodies: `// 10⁻³·A`). One such character
// makes Node read the whole file as a two-byte string: twice the memory, and ≈ 2.5 ms more to
// read the grouped fit's bundle at every start-up. Each non-ASCII UTF-16 unit becomes "?", so
// every column stays where the source map says; the code is checked to be the same.
const asciiOnly = (file) => {
  const text = readFileSync(join(root, file), "utf8");
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range itself
  const ascii = text.replace(/[^\x00-\x7f]/g, "?");
  if (ascii === text) return;
  const code = (t) => transformSync(t, { minifyWhitespace: true, charset: "ascii" }).code;
  if (code(ascii) !== code(text))
    throw new Error(`bundle-cli: ${file}: non-ASCII outside comments`);
  writeFileSync(join(root, file), ascii);
};
const lazyCommanderChildProcess = {
  name: "lazy-commander-child-process",
  setup(b) {
    b.onLoad({ filter: /\/commander\/lib\/command\.js$/ }, (args) => {
      const text = readFileSync(args.path, "utf8");
      const from = "require('node:child_process')";
      if (!text.includes(from)) throw new Error(`bundle-cli: ${args.path}: no ${from} to defer`);
      return { contents: text.replace(from, "__lazyR('node:child_process')"), loader: "js" };
    });
  },
};

const common = {
  absWorkingDir: root,
  outdir: root,
  bundle: true,
  platform: "node",
  target: "node20",
  // Identifiers kept: stack traces (BIOGRAD_DEBUG=1) stay readable.
  minifySyntax: true,
  sourcemap: "linked",
  legalComments: "none",
  metafile: true,
  logLevel: "warning",
};
// CommonJS packages bundled into ES modules call require() for Node's built-ins.
const requireBanner = {
  js: 'import { createRequire as __biogradCreateRequire } from "node:module";\nconst require = __biogradCreateRequire(import.meta.url);',
};

/** The command line's entry: main.ts and io.ts only; the program is dist-cli/cli/program.cjs. */
const mainBuild = () =>
  build({
    ...common,
    entryPoints: [{ in: join(cliDir, "main.ts"), out: join("dist", "cli", "main") }],
    format: "esm",
    banner: requireBanner,
    plugins: [
      commandBoundaries(join("dist", "cli")),
      externalPackages(false),
      englishOnlyZod,
      importMetaUrl("esm"),
    ],
  });

/** One self-contained CommonJS file per command: no splitting, so a command loads one file. */
const commandsBuild = () =>
  build({
    ...common,
    entryPoints: [...commands].sort().map((name) => ({
      in: join(cliDir, `${name}.ts`),
      out: join(MIRROR, "cli", name),
    })),
    outExtension: { ".js": ".cjs" },
    format: "cjs",
    banner: lazyBanner,
    plugins: [commandBoundaries(join(MIRROR, "cli")), externalPackages(true), importMetaUrl("cjs")],
  });

/** The queue's and the server's parts that commands load on demand: one CommonJS file each. */
const partsBuild = (dir) =>
  build({
    ...common,
    entryPoints: [{ in: `parts:${dir}`, out: join(MIRROR, dir, "parts") }],
    outExtension: { ".js": ".cjs" },
    format: "cjs",
    banner: lazyBanner,
    plugins: [
      partsEntry(dir),
      commandBoundaries(join(MIRROR, dir)),
      externalPackages(true),
      importMetaUrl("cjs"),
    ],
  });

/** zod, shared by the command bundles (English messages only). */
const zodBuild = () =>
  build({
    ...common,
    stdin: { contents: 'export * from "zod";\nexport { default } from "zod";', resolveDir: root },
    outfile: join(MIRROR, "vendor", "zod.cjs"),
    outdir: undefined,
    format: "cjs",
    plugins: [englishOnlyZod],
  });

/** commander (a CommonJS package: its exports as they are), shared by the command bundles. */
const commanderBuild = () =>
  build({
    ...common,
    stdin: { contents: 'module.exports = require("commander");', resolveDir: root },
    outfile: join(MIRROR, "vendor", "commander.cjs"),
    outdir: undefined,
    format: "cjs",
    banner: lazyBanner,
    plugins: [lazyCommanderChildProcess],
  });

/**
 * The worker threads' modules (loaded by URL). A grouped fit's thread loads the pool's worker
 * script and the fit-groups job module: each one self-contained file, so a thread starts on 2
 * files instead of 16 (bench/startup/workers.mjs). The other worker modules pull in much more
 * by on-demand imports, which one file would hold and whose packages it would import at load:
 * they share chunks among themselves, as before.
 */
const SELF_CONTAINED_WORKERS = new Set(["batch/worker-entry.ts", "tasks/fit-groups-chunk.ts"]);
const workersBuild = (selfContained) =>
  build({
    ...common,
    entryPoints: workerEntries.filter(
      (e) => SELF_CONTAINED_WORKERS.has(relative(src, e.in)) === selfContained,
    ),
    ...(selfContained ? {} : { chunkNames: `${MIRROR}/chunks/[name]-[hash]`, splitting: true }),
    format: "esm",
    banner: requireBanner,
    plugins: [externalPackages(false), englishOnlyZod, importMetaUrl("esm")],
  });

// Each copy of a module lives in one bundle: a command's code and the worker threads' modules
// never share module state (the main thread never imports a module by URL, a worker never
// loads a command). Code that two command bundles both hold runs twice only when a command
// loads a part (fit → fit-picture); an error is then recognised by its code, not instanceof
// (program.ts).
rmSync(join(root, MIRROR), { recursive: true, force: true });
const metas = (
  await Promise.all([
    mainBuild(),
    commandsBuild(),
    zodBuild(),
    commanderBuild(),
    ...PART_DIRS.filter((d) => parts[d].size > 0).map(partsBuild),
    workersBuild(true),
    workersBuild(false),
  ])
).map((r) => r.metafile);
const outputs = metas.flatMap((m) => Object.entries(m.outputs).filter(([f]) => /\.c?js$/.test(f)));
for (const [file] of outputs)
  if (file.endsWith(".cjs") && !file.includes("/vendor/")) lazyRequires(file);
for (const [file] of outputs) asciiOnly(file);
// The lazy zod boundary's names must be the vendor file's exports, all of them.
const vendorZod = Object.keys(
  createRequire(import.meta.url)(join(root, MIRROR, "vendor", "zod.cjs")),
);
const zodNames = new Set(["default", ...ZOD_EXPORTS]);
if (vendorZod.some((k) => !zodNames.has(k))) {
  throw new Error(
    `bundle-cli: zod exports not in the lazy boundary: ${vendorZod.filter((k) => !zodNames.has(k))}`,
  );
}
const misplaced = outputs.filter(([f]) => f.split("/").length !== 3);
if (misplaced.length > 0) {
  throw new Error(`bundle-cli: outputs not two directories deep: ${misplaced.map(([f]) => f)}`);
}
// Which source modules and packages each output file holds (root-relative paths), for tests
// that check what a command loads (test/helpers/cli-bundle.ts) and for reading profiles;
// `requires` names the files it loads at its own start (static imports, not on demand).
const modules = Object.fromEntries(
  outputs.map(([f, o]) => [
    f,
    {
      // The file as written (asciiOnly may have made it shorter than esbuild's output).
      bytes: statSync(join(root, f)).size,
      inputs: Object.keys(o.inputs)
        .filter((i) => !i.startsWith("boundary:"))
        .map((i) => i.replace(/^.*node_modules\//, "node_modules/")),
      imports: o.imports
        .filter((i) => i.kind === "import-statement" || i.kind === "require-call")
        .map((i) => i.path),
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
