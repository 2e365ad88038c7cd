import {
  chmodSync,
  lstatSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeFileAtomic } from "../../src/io/atomic-write.js";
import { failedReportPath } from "../../src/io/failed-report.js";
import type { OutputFs } from "../../src/io/output-fs.js";
import { planOutputs } from "../../src/io/output-plan.js";
import { replaceFile } from "../../src/io/replace-file.js";
import { OutputWriteError } from "../../src/io/write-error.js";
import { mkfifo, scratch, snapshot } from "./snapshot.js";

let dir: string;
let cwd: string;
beforeEach(() => {
  cwd = process.cwd();
  dir = scratch();
  process.chdir(dir);
  writeFileSync("m.csv", "x,y\n1,2\n");
  writeFileSync("fit.json", '{"good":true}\n');
});
afterEach(() => process.chdir(cwd));

const errno = (code: string) => Object.assign(new Error(`${code}: injected`), { code });

/** Runs `action`, expects an OutputWriteError, and returns its message. */
function writeFailure(action: () => void): string {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(OutputWriteError);
    expect((error as OutputWriteError).code).toBe("write_failed");
    return (error as Error).message;
  }
  throw new Error("expected the write to fail");
}

describe("plan.write", () => {
  it("replaces the file, keeping its mode, and leaves nothing else behind", () => {
    chmodSync("fit.json", 0o666); // wider than the usual umask allows a new file
    const plan = planOutputs([{ option: "--out", path: "fit.json" }], ["m.csv"]);
    expect(plan.write("--out", '{"new":1}\n')).toBe("fit.json");
    expect(readFileSync("fit.json", "utf8")).toBe('{"new":1}\n');
    expect(statSync("fit.json").mode & 0o777).toBe(0o666);
    expect(readdirSync(".").sort()).toEqual(["fit.json", "m.csv"]);
  });

  it("writes through a symlink: the target changes, the link stays a link", () => {
    symlinkSync("fit.json", "latest.json");
    const plan = planOutputs([{ option: "--out", path: "latest.json" }], ["m.csv"]);
    plan.write("--out", "through\n");
    expect(lstatSync("latest.json").isSymbolicLink()).toBe(true);
    expect(readlinkSync("latest.json")).toBe("fit.json");
    expect(readFileSync("fit.json", "utf8")).toBe("through\n");
  });

  it("creates the target of a dangling symlink", () => {
    symlinkSync("made.json", "dangling.json");
    planOutputs([{ option: "--out", path: "dangling.json" }], []).write("--out", "made\n");
    expect(lstatSync("dangling.json").isSymbolicLink()).toBe(true);
    expect(readFileSync("made.json", "utf8")).toBe("made\n");
  });

  it("fsyncs the file and then the directory", () => {
    const synced: string[] = [];
    const fs: Partial<OutputFs> = {
      fsyncSync: (fd) => {
        synced.push(statSync(`/proc/self/fd/${fd}`).isDirectory() ? "dir" : "file");
      },
    };
    planOutputs([{ option: "--out", path: "fit.json" }], [], { fs }).write("--out", "x");
    expect(synced).toEqual(["file", "dir"]);
  });

  it("does nothing for an option that was not given", () => {
    const before = snapshot(dir);
    const plan = planOutputs([{ option: "--out", path: undefined }], []);
    expect(plan.write("--out", "x")).toBeNull();
    expect(plan.writeFailed("--out", { x: 1 })).toBeNull();
    expect(snapshot(dir)).toEqual(before);
  });

  for (const [code, text] of [
    ["ENOSPC", "no space left on device"],
    ["EIO", "input/output error"],
    ["EDQUOT", "disk quota exceeded"],
  ] as const) {
    it(`a write failing midway with ${code} leaves the old file byte-identical and no temp file`, () => {
      const before = snapshot(dir);
      let calls = 0;
      const fs: Partial<OutputFs> = {
        // the first chunk goes to disk, the second fails: a half-written temp file exists
        writeSync: ((fd: number, buffer: Uint8Array, offset: number) => {
          if (++calls > 1) throw errno(code);
          return writeSync(fd, buffer, offset, 3);
        }) as OutputFs["writeSync"],
      };
      const plan = planOutputs([{ option: "--out", path: "fit.json" }], ["m.csv"], { fs });
      expect(writeFailure(() => plan.write("--out", "a longer new content\n"))).toBe(
        `cannot write fit.json: ${text} (${code})`,
      );
      expect(calls).toBe(2);
      expect(snapshot(dir)).toEqual(before);
    });
  }

  it("a failing rename (EACCES) or fsync (EIO) leaves the old file and no temp file", () => {
    const before = snapshot(dir);
    for (const fs of [
      {
        renameSync: () => {
          throw errno("EACCES");
        },
      },
      {
        fsyncSync: () => {
          throw errno("EIO");
        },
      },
    ] as Partial<OutputFs>[]) {
      const plan = planOutputs([{ option: "--out", path: "fit.json" }], [], { fs });
      expect(writeFailure(() => plan.write("--out", "new"))).toMatch(
        /^cannot write fit\.json: (permission denied \(EACCES\)|input\/output error \(EIO\))$/,
      );
      expect(snapshot(dir)).toEqual(before);
    }
  });

  it("a path that became a FIFO after planning is refused at write time, not replaced", () => {
    const plan = planOutputs([{ option: "--out", path: "later" }], []);
    mkfifo("later");
    const before = snapshot(dir);
    expect(writeFailure(() => plan.write("--out", "x"))).toBe(
      "cannot write later: is a FIFO; expected a regular file or a new path",
    );
    expect(snapshot(dir)).toEqual(before);
  });
});

describe("failed runs", () => {
  it("writeFailed puts the diagnostics beside the output and never touches it", () => {
    const before = snapshot(dir);
    const plan = planOutputs([{ option: "--out", path: "fit.json" }], ["m.csv"]);
    expect(plan.writeFailed("--out", { converged: false, why: "diverged" })).toBe(
      "fit.failed.json",
    );
    expect(snapshot(dir)).toEqual({
      ...before,
      "fit.failed.json": expect.stringMatching(/^file /),
    });
    expect(JSON.parse(readFileSync("fit.failed.json", "utf8"))).toEqual({
      converged: false,
      why: "diverged",
    });
  });

  it("save: a converged result replaces the output; an unconverged one goes beside it", () => {
    const plan = planOutputs([{ option: "--out", path: "fit.json" }], []);
    const before = snapshot(dir);
    const bad = { result: { converged: false } };
    expect(plan.save("--out", bad, { converged: false })).toEqual({
      path: "fit.failed.json",
      failed: true,
    });
    expect(snapshot(dir)["fit.json"]).toBe(before["fit.json"]);
    const good = { result: { converged: true } };
    expect(plan.save("--out", good, { converged: true })).toEqual({
      path: "fit.json",
      failed: false,
    });
    expect(readFileSync("fit.json", "utf8")).toBe(`${JSON.stringify(good, null, 1)}\n`);
  });

  it("names the report after the output", () => {
    expect(failedReportPath("fit.json")).toBe("fit.failed.json");
    expect(failedReportPath("out/FIT.JSON")).toBe("out/FIT.failed.json");
    expect(failedReportPath("results.csv")).toBe("results.csv.failed.json");
    expect(failedReportPath("net")).toBe("net.failed.json");
  });
});

describe("writeFileAtomic (kept for existing callers)", () => {
  it("writes through symlinks and refuses devices instead of replacing them", () => {
    symlinkSync("fit.json", "latest.json");
    writeFileAtomic("latest.json", "via link\n");
    expect(readlinkSync("latest.json")).toBe("fit.json");
    expect(readFileSync("fit.json", "utf8")).toBe("via link\n");
    mkfifo("p");
    expect(writeFailure(() => writeFileAtomic("p", "x"))).toBe(
      "cannot write p: is a FIFO; expected a regular file or a new path",
    );
    expect(lstatSync("p").isFIFO()).toBe(true);
    expect(writeFailure(() => writeFileAtomic("no/x.json", "x"))).toBe(
      'cannot write no/x.json: directory "no" does not exist',
    );
  });

  it("takes bytes as well as text", () => {
    replaceFile("bytes.bin", Uint8Array.from([0, 255, 10]));
    expect([...readFileSync("bytes.bin")]).toEqual([0, 255, 10]);
  });
});
