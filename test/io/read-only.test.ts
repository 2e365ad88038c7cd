import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { scratch, snapshot } from "./snapshot.js";

// As root, permissions never refuse a write, so "not writable" is tested on a read-only bind
// mount inside a private mount namespace (needs `unshare -m`; skipped where not permitted).
// The code under test is the built dist/ (`npm test` builds it first).
const dist = new URL("../../dist/io/", import.meta.url).pathname;
const canMount =
  spawnSync("unshare", ["-m", "sh", "-c", "d=$(mktemp -d) && mount --bind $d $d"]).status === 0;

/** Runs `script` (ES module, `plan` module in scope) with `dir` mounted read-only. */
function inReadOnly(dir: string, script: string) {
  const node = `${JSON.stringify(process.execPath)} --input-type=module -e ${shellQuote(
    `import { planOutputs } from ${JSON.stringify(`${dist}output-plan.js`)};
     process.chdir(${JSON.stringify(dir)});
     try { ${script}; console.log("ok"); } catch (e) { console.log(e.name + ": " + e.message); }`,
  )}`;
  const r = spawnSync(
    "unshare",
    [
      "-m",
      "sh",
      "-c",
      `mount --bind "$D/ro" "$D/ro" && mount -o remount,ro,bind "$D/ro" && ${node}`,
    ],
    { env: { ...process.env, D: dir }, encoding: "utf8" },
  );
  expect(r.stderr).toBe("");
  return r.stdout.trim();
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

describe.skipIf(!canMount)("a read-only directory", () => {
  it("is refused before any work, naming the directory", () => {
    const dir = scratch();
    mkdirSync(`${dir}/ro`);
    writeFileSync(`${dir}/ro/fit.json`, "old\n");
    const before = snapshot(dir);
    expect(inReadOnly(dir, `planOutputs([{ option: "--out", path: "ro/fit.json" }], [])`)).toBe(
      'InputError: --out ro/fit.json: directory "ro" is not writable',
    );
    expect(snapshot(dir)).toEqual(before);
  });

  it("that became read-only after planning fails the write with one line, file unchanged", () => {
    const dir = scratch();
    mkdirSync(`${dir}/ro`);
    writeFileSync(`${dir}/ro/fit.json`, "old\n");
    const before = snapshot(dir);
    // plan with an access check that says yes, then write for real
    const script = `planOutputs([{ option: "--out", path: "ro/fit.json" }], [], { fs: { accessSync: () => {} } }).write("--out", "new")`;
    expect(inReadOnly(dir, script)).toBe(
      "OutputWriteError: cannot write ro/fit.json: read-only file system (EROFS)",
    );
    expect(snapshot(dir)).toEqual(before);
  });
});
