import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LINEAR_F64X2_WASM } from "../../src/parallel/wasm-linear-bytes.js";

// The committed module bytes (src/parallel/wasm-linear-bytes.ts) must come from the current
// text of their generator (scripts/gen-linear-wasm.mjs). Assembling needs wabt, which CI does
// not install; the bytes file records the SHA-256 of the .wat text it was assembled from, so
// rebuilding that text here (pure string building, milliseconds) and comparing hashes catches
// a generator edited without regenerating. (`node scripts/gen-linear-wasm.mjs --check` also
// reassembles and compares the bytes, where wabt is installed.) That the bytes compute the
// right sums is test/parallel/wasm-linear.test.ts's job.
const root = join(import.meta.dirname, "..", "..");
const generatorPath = join(root, "scripts", "gen-linear-wasm.mjs");

interface Generator {
  linearWat(rows?: number): string;
  watHash(wat: string): string;
}

describe("src/parallel/wasm-linear-bytes.ts", () => {
  it("was generated from scripts/gen-linear-wasm.mjs's current module text", async () => {
    const generator = (await import(generatorPath)) as Generator;
    const text = readFileSync(join(root, "src", "parallel", "wasm-linear-bytes.ts"), "utf8");
    const rows = Number(/, (\d+) rows a block\)/.exec(text)?.[1]);
    const recorded = /^\/\/ wat sha256: ([0-9a-f]{64})$/m.exec(text)?.[1];
    expect(rows).toBeGreaterThan(0);
    expect(recorded).toBe(generator.watHash(generator.linearWat(rows)));
  });

  it("the hash tells module texts apart (a changed generator would fail the check above)", async () => {
    const generator = (await import(generatorPath)) as Generator;
    expect(generator.watHash(generator.linearWat(2))).not.toBe(
      generator.watHash(generator.linearWat(4)),
    );
  });

  it("holds a valid module exporting the kernel", () => {
    const bytes = new Uint8Array(Buffer.from(LINEAR_F64X2_WASM, "base64"));
    expect(WebAssembly.validate(bytes)).toBe(true);
    const exports = WebAssembly.Module.exports(new WebAssembly.Module(bytes));
    expect(exports).toEqual([{ name: "partial", kind: "function" }]);
  });
});
