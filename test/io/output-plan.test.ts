import { existsSync, linkSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InputError } from "../../src/core/errors.js";
import { planOutputs } from "../../src/io/output-plan.js";
import { mkfifo, scratch, snapshot } from "./snapshot.js";

// Paths in messages are as the user wrote them, so the tests run inside the scratch folder.
let dir: string;
let cwd: string;
let before: Record<string, string>;
beforeEach(() => {
  cwd = process.cwd();
  dir = scratch();
  process.chdir(dir);
  writeFileSync("m.csv", "x,y\n1,2\n");
  writeFileSync("fit.json", '{"good":true}\n');
});
afterEach(() => process.chdir(cwd));

/** The refusal's message; the plan must refuse with an InputError and change nothing. */
function refusal(outputs: { option: string; path: string | undefined }[], inputs = ["m.csv"]) {
  before = snapshot(dir);
  let caught: unknown;
  try {
    planOutputs(outputs, inputs);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(InputError);
  expect(snapshot(dir)).toEqual(before);
  return (caught as InputError).message;
}

describe("planOutputs refuses, before any work", () => {
  it("the input file itself, however it is spelled", () => {
    expect(refusal([{ option: "--out", path: "m.csv" }])).toBe(
      "--out m.csv: is the input file (give another path)",
    );
    expect(refusal([{ option: "--out", path: "./m.csv" }])).toBe(
      "--out ./m.csv: is the input file m.csv (give another path)",
    );
    mkdirSync("a");
    expect(refusal([{ option: "--out", path: "a/../m.csv" }])).toBe(
      "--out a/../m.csv: is the input file m.csv (give another path)",
    );
    expect(refusal([{ option: "--out", path: join(dir, "m.csv") }], ["./m.csv"])).toBe(
      `--out ${join(dir, "m.csv")}: is the input file ./m.csv (give another path)`,
    );
  });

  it("the input through a symlink or a hard link", () => {
    symlinkSync("m.csv", "link.csv");
    linkSync("m.csv", "hard.csv");
    expect(refusal([{ option: "--out", path: "link.csv" }])).toBe(
      "--out link.csv: is the input file m.csv (give another path)",
    );
    expect(refusal([{ option: "--save", path: "hard.csv" }])).toBe(
      "--save hard.csv: is the input file m.csv (give another path)",
    );
    // and the input given through the link, the output as the file itself
    expect(refusal([{ option: "--out", path: "m.csv" }], ["link.csv"])).toBe(
      "--out m.csv: is the input file link.csv (give another path)",
    );
  });

  it("an output whose failure report would be the input", () => {
    writeFileSync("r.failed.json", "{}");
    expect(refusal([{ option: "--out", path: "r.json" }], ["r.failed.json"])).toBe(
      "--out r.json: its failure report r.failed.json is the input file (give another path)",
    );
  });

  it("a missing directory, or a file where a directory should be", () => {
    expect(refusal([{ option: "--out", path: "out/x.json" }])).toBe(
      '--out out/x.json: directory "out" does not exist',
    );
    expect(refusal([{ option: "--out", path: "m.csv/x.json" }])).toBe(
      '--out m.csv/x.json: "m.csv" is not a directory',
    );
    expect(refusal([{ option: "--out", path: "m.csv/deeper/x.json" }])).toBe(
      '--out m.csv/deeper/x.json: "m.csv/deeper" is not a directory',
    );
  });

  it("a dangling symlink into a missing directory, naming that directory", () => {
    symlinkSync("gone/t.json", "dangling.json");
    expect(refusal([{ option: "--out", path: "dangling.json" }])).toBe(
      '--out dangling.json: directory "gone" does not exist',
    );
  });

  it("a directory", () => {
    mkdirSync("results");
    expect(refusal([{ option: "--out", path: "results" }])).toBe(
      "--out results: is a directory; expected a regular file or a new path",
    );
    expect(refusal([{ option: "--out", path: "results/" }])).toBe(
      "--out results/: is a directory; expected a regular file or a new path",
    );
  });

  it("a FIFO, also behind a symlink", () => {
    mkfifo("p");
    symlinkSync("p", "to-fifo");
    expect(refusal([{ option: "--out", path: "p" }])).toBe(
      "--out p: is a FIFO; expected a regular file or a new path",
    );
    expect(refusal([{ option: "--out", path: "to-fifo" }])).toBe(
      "--out to-fifo: is a FIFO; expected a regular file or a new path",
    );
  });

  it("a socket", async () => {
    const server = createServer();
    await new Promise<void>((ok) => server.listen(join(dir, "s.sock"), ok));
    try {
      expect(refusal([{ option: "--out", path: "s.sock" }])).toBe(
        "--out s.sock: is a socket; expected a regular file or a new path",
      );
    } finally {
      await new Promise((ok) => server.close(ok));
    }
  });

  it.skipIf(!existsSync("/dev/full"))("/dev/full and /dev/null", () => {
    expect(() => planOutputs([{ option: "--out", path: "/dev/full" }], [])).toThrow(
      "--out /dev/full: is a character device; expected a regular file or a new path",
    );
    expect(() => planOutputs([{ option: "--out", path: "/dev/null" }], [])).toThrow(
      "--out /dev/null: is a character device; expected a regular file or a new path",
    );
  });

  it("the same file for two outputs", () => {
    expect(
      refusal([
        { option: "--out", path: "r.json" },
        { option: "--save", path: "./r.json" },
      ]),
    ).toBe("--save ./r.json: is the same file as --out (give another path)");
    symlinkSync("fit.json", "alias.json");
    expect(
      refusal([
        { option: "--out", path: "fit.json" },
        { option: "--save", path: "alias.json" },
      ]),
    ).toBe("--save alias.json: is the same file as --out (give another path)");
  });

  it("a failure report path that is not a regular file", () => {
    mkfifo("r.failed.json");
    expect(refusal([{ option: "--out", path: "r.json" }])).toBe(
      "--out r.json: its failure report r.failed.json is a FIFO; expected a regular file or a new path",
    );
  });

  it("a directory that is not writable (access check injected: tests run as root)", () => {
    mkdirSync("locked");
    const accessSync = (path: unknown) => {
      if (String(path).endsWith("locked"))
        throw Object.assign(new Error("EACCES"), { code: "EACCES" });
    };
    expect(() =>
      planOutputs([{ option: "--out", path: "locked/x.json" }], [], { fs: { accessSync } }),
    ).toThrow('--out locked/x.json: directory "locked" is not writable');
  });
});

describe("planOutputs accepts", () => {
  it("new paths, existing files, links to files, unused options, and missing inputs", () => {
    symlinkSync("fit.json", "alias.json");
    symlinkSync("new-target.json", "dangling.json");
    const plan = planOutputs(
      [
        { option: "--out", path: "new.json" },
        { option: "--save", path: "alias.json" },
        { option: "--log", path: "dangling.json" },
        { option: "--history", path: undefined },
      ],
      ["m.csv", "not-there.csv"],
    );
    expect(plan.path("--out")).toBe("new.json");
    expect(plan.path("--history")).toBeUndefined();
    expect(() => plan.path("--other")).toThrow("output --other was not planned");
  });
});
