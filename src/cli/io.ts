import { describeIoError } from "../io/write-error.js";

/** Where the CLI writes; tests pass a recorder, main.ts passes the process streams. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** Whether stderr is a terminal (progress bar) or not (plain periodic lines). */
  isTTY: boolean;
  stderr?: NodeJS.WritableStream;
}

/**
 * The process streams, guarded. A write error on stdout (EPIPE when the reader went away,
 * as in `biograd models | head -c 10`; ENOSPC for `> /dev/full`) gives one line on stderr
 * and exit code 1, instead of an unhandled 'error' event and a stack trace. Output to a
 * failed stream is dropped from then on; the run itself finishes, so files it writes are
 * still written. A failing stderr is silenced the same way (there is nowhere to report it).
 * Each stream is opened (and guarded) when first used: a fit that writes nothing to stderr
 * does not create it (a pipe's stream loads node:net, a terminal's node:tty: milliseconds of
 * start-up, bench/startup/RESULTS.md). Only writes fail, so a stream is guarded in time.
 */
export function processIO(): CliIO {
  let stdoutFailed = false;
  let stderrFailed = false;
  let stdoutGuarded = false;
  let stderrGuarded = false;
  const markFailed = () => {
    if (!process.exitCode) process.exitCode = 1;
  };
  const stderr = () => {
    if (!stderrGuarded) {
      stderrGuarded = true;
      process.stderr.on("error", () => {
        stderrFailed = true;
        markFailed();
      });
    }
    return process.stderr;
  };
  const stdout = () => {
    if (!stdoutGuarded) {
      stdoutGuarded = true;
      process.stdout.on("error", (error: unknown) => {
        if (stdoutFailed) return;
        stdoutFailed = true;
        markFailed();
        const err = stderr();
        if (!stderrFailed) {
          err.write(`biograd: cannot write to standard output: ${describeIoError(error)}\n`);
        }
      });
    }
    return process.stdout;
  };
  return {
    out: (text) => {
      const out = stdout();
      if (!stdoutFailed) out.write(`${text}\n`);
    },
    err: (text) => {
      const err = stderr();
      if (!stderrFailed) err.write(`${text}\n`);
    },
    get isTTY() {
      return Boolean(stderr().isTTY);
    },
    get stderr() {
      return stderr();
    },
  };
}
