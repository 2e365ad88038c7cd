import { afterEach, describe, expect, it, vi } from "vitest";
import { OutputWriteError } from "../../src/io/write-error.js";
import { cli } from "../helpers/cli.js";

// `biograd models` stands in for any command: the mock makes it throw what a command might.
const thrown = vi.hoisted(() => ({ error: null as unknown }));
vi.mock("../../src/cli/models.js", () => ({
  modelsCommand: () => {
    throw thrown.error;
  },
}));

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("runCli turns errors into one line", () => {
  it("an output that could not be written is a failed run (exit 1)", async () => {
    thrown.error = new OutputWriteError("fit.json", "no space left on device (ENOSPC)");
    const r = await cli("models");
    expect(r.code).toBe(1);
    expect(r.err).toEqual(["biograd: cannot write fit.json: no space left on device (ENOSPC)"]);
  });

  it("a system I/O error that escaped a command: one line with the path, exit 1", async () => {
    thrown.error = Object.assign(new Error("ENOSPC: no space left on device, write"), {
      code: "ENOSPC",
      syscall: "write",
      path: "journal.jsonl",
    });
    const r = await cli("models");
    expect(r.code).toBe(1);
    expect(r.err).toEqual(["biograd: journal.jsonl: no space left on device (ENOSPC)"]);
  });

  it("a bug: one line asking for a report, no stack", async () => {
    vi.stubEnv("BIOGRAD_DEBUG", "");
    thrown.error = new TypeError("Cannot read properties of undefined (reading 'x')\nsecond");
    const r = await cli("models");
    expect(r.code).toBe(1);
    expect(r.err).toEqual([
      "biograd: internal error: Cannot read properties of undefined (reading 'x') — please report it; set BIOGRAD_DEBUG=1 for the stack",
    ]);
  });

  it("a bug with BIOGRAD_DEBUG=1: the same line, then the stack", async () => {
    vi.stubEnv("BIOGRAD_DEBUG", "1");
    thrown.error = new RangeError("Invalid string length");
    const r = await cli("models");
    expect(r.code).toBe(1);
    expect(r.err[0]).toBe(
      "biograd: internal error: Invalid string length — please report it; set BIOGRAD_DEBUG=1 for the stack",
    );
    expect(r.err[1]).toBe("RangeError: Invalid string length");
    expect(r.err.slice(2).join("\n")).toMatch(/^\s+at /);
  });

  it("something thrown that is not an Error", async () => {
    thrown.error = "plain string";
    const r = await cli("models");
    expect(r.code).toBe(1);
    expect(r.err).toEqual([
      "biograd: internal error: plain string — please report it; set BIOGRAD_DEBUG=1 for the stack",
    ]);
  });
});
