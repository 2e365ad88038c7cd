/** Where the CLI writes; tests pass a recorder, main.ts passes the process streams. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** Whether stderr is a terminal (progress bar) or not (plain periodic lines). */
  isTTY: boolean;
  stderr?: NodeJS.WritableStream;
}

export function processIO(): CliIO {
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    isTTY: Boolean(process.stderr.isTTY),
    stderr: process.stderr,
  };
}
