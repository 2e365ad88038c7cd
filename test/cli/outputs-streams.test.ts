import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// These spawn the built CLI (`npm test` builds dist/ first) through a real shell, because a
// closed pipe and a full device only happen between processes.
const main = new URL("../../dist/cli/main.js", import.meta.url).pathname;
const EPIPE_LINE = "biograd: cannot write to standard output: broken pipe (EPIPE)";

/** Runs `script` in bash with $B = the CLI; returns the CLI's exit code and its stderr. */
function shell(script: string): { code: number; err: string; out: string } {
  const dir = mkdtempSync(join(tmpdir(), "biograd-streams-"));
  const errFile = join(dir, "err.txt");
  const r = spawnSync("bash", ["-c", `${script}; echo "rc=\${PIPESTATUS[0]}"`], {
    env: { ...process.env, B: `node ${main}`, E: errFile },
    encoding: "utf8",
  });
  const rc = /rc=(\d+)\s*$/.exec(r.stdout);
  expect(rc, r.stderr).not.toBeNull();
  return {
    code: Number(rc![1]),
    err: existsSync(errFile) ? readFileSync(errFile, "utf8") : "",
    out: r.stdout.replace(/rc=\d+\s*$/, ""),
  };
}

describe("stdout that cannot be written", () => {
  it("a reader that has gone (closed pipe): one line, exit 1", () => {
    // The reader closes its end at once; node needs far longer to start, so every write
    // of the CLI meets EPIPE.
    const r = shell(`$B models 2>"$E" | { exec 0<&-; sleep 0.3; }`);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`${EPIPE_LINE}\n`);
  });

  it("`| head -c 1`: exit 0 if all output fit into the pipe before head left, else one line and 1", () => {
    for (let i = 0; i < 3; i++) {
      const r = shell(`$B models --verbose 2>"$E" | head -c 1`);
      expect(r.out).toHaveLength(1);
      expect([0, 1]).toContain(r.code);
      expect(r.err).toBe(r.code === 0 ? "" : `${EPIPE_LINE}\n`);
    }
  });

  it.skipIf(!existsSync("/dev/full"))("`> /dev/full`: one line, exit 1, no stack trace", () => {
    const r = shell(`$B models > /dev/full 2>"$E"`);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      "biograd: cannot write to standard output: no space left on device (ENOSPC)\n",
    );
    // with stderr full as well there is nowhere to say it; the exit code still does
    expect(shell("$B models > /dev/full 2>/dev/full").code).toBe(1);
  });

  it("a slow reader still gets every byte before the CLI exits", () => {
    const direct = shell(`$B models --verbose 2>"$E"`);
    expect(direct.code).toBe(0);
    const slow = shell(`$B models --verbose 2>"$E" | { sleep 0.3; wc -c; }`);
    expect(slow.code).toBe(0);
    expect(Number(slow.out.trim())).toBe(Buffer.byteLength(direct.out));
  });
});
