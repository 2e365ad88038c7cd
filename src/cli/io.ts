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
 */
export function processIO(): CliIO {
  let stdoutFailed = false;
  let stderrFailed = false;
  const markFailed = () => {
    if (!process.exitCode) process.exitCode = 1;
  };
  process.stderr.on("error", () => {
    stderrFailed = true;
    markFailed();
  });
  process.stdout.on("error", (error: unknown) => {
    if (stdoutFailed) return;
    stdoutFailed = true;
    markFailed();
    if (!stderrFailed) {
      process.stderr.write(`biograd: cannot write to standard output: ${describeIoError(error)}\n`);
    }
  });
  return {
    out: (text) => {
      if (!stdoutFailed) process.stdout.write(`${text}\n`);
    },
    err: (text) => {
      if (!stderrFailed) process.stderr.write(`${text}\n`);
    },
    isTTY: Boolean(process.stderr.isTTY),
    stderr: process.stderr,
  };
}
