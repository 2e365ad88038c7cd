import { Command, CommanderError } from "commander";
import { BiogradError, type ErrorCode } from "../core/errors.js";
import { describeIoError, errnoCode } from "../io/write-error.js";
import { VERSION } from "../version.js";
import type { CliIO } from "./io.js";
import { registerFit } from "./program-fit.js";
import { submitOptions } from "./queue.js";

// Every command's implementation is imported when it runs, not here: `biograd fit` then
// loads the fit's modules only, not training, sweeps, reports, the server or the queue
// (bench/startup/RESULTS.md; test/cli/fit-import-graph.test.ts checks it). A command line that
// starts with `fit` registers that command alone (program-fit.ts); any other registers every
// command (program-commands.ts, its own bundle), so `--help`, `help fit`, unknown commands and
// every other command see the whole program. A fit's own help and errors are its command's
// only, so they read the same either way (test/cli/program-fit-alone.test.ts).

/** Exit codes: 0 success, 1 failure, 2 usage or input error. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

async function buildProgram(
  argv: readonly string[],
  io: CliIO,
  setCode: (code: number) => void,
  wholeProgram: boolean,
): Promise<Command> {
  const program = new Command("biograd")
    .description("Train and fit biological prediction models with gradient clipping")
    .version(VERSION)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s.trimEnd()),
      writeErr: (s) => io.err(s.trimEnd()),
      outputError: (s, write) => write(`biograd: ${s.replace(/^error: /, "").trimEnd()}\n`),
    });
  if (argv[0] === "fit" && !wholeProgram) {
    registerFit(program, io, setCode);
    // The queue's options on `fit` (grouped fits), added last as registerQueue does.
    submitOptions(program.commands[0]!);
  } else {
    const { registerCommands } = await import("./program-commands.js");
    registerCommands(program, io, setCode);
  }
  return program;
}

/** Every BiogradError code; the Record type makes a new code a type error until listed here. */
const ERROR_CODES: Readonly<Record<ErrorCode, true>> = {
  invalid_option: true,
  unknown_option: true,
  non_finite_gradient: true,
  bad_input: true,
  shape_mismatch: true,
  write_failed: true,
};

/**
 * A BiogradError thrown by any bundle of the CLI. Each command's bundle holds its own copy of
 * src/core/errors.ts (scripts/bundle-cli.mjs), so `instanceof` sees only this file's copy:
 * an Error carrying one of the codes is one too (system errors' codes are ENOENT, EPIPE, …).
 */
function isBiogradError(error: unknown): error is BiogradError {
  if (error instanceof BiogradError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === "string" && Object.hasOwn(ERROR_CODES, code);
}

/** Error codes that mean the run failed (exit 1); every other BiogradError is bad input (exit 2). */
const FAILURE_CODES: ReadonlySet<string> = new Set(["non_finite_gradient", "write_failed"]);

/**
 * Runs the CLI on `argv` (without node and script) and returns the exit code. `wholeProgram`
 * registers every command also for a fit (tests compare a fit's help and errors both ways).
 */
export async function runCli(
  argv: readonly string[],
  io: CliIO,
  { wholeProgram = false }: { wholeProgram?: boolean } = {},
): Promise<number> {
  let code: number = EXIT.ok;
  const program = await buildProgram(
    argv,
    io,
    (c) => {
      code = c;
    },
    wholeProgram,
  );
  try {
    await program.parseAsync([...argv], { from: "user" });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (isBiogradError(error)) {
      io.err(`biograd: ${error.message}`);
      return FAILURE_CODES.has(error.code) ? EXIT.failure : EXIT.usage;
    }
    reportUnexpected(error, io);
    return EXIT.failure;
  }
}

/**
 * An error no command turned into a message. A system I/O error (disk full, I/O error,
 * read-only file system) is the machine's, not a bug: one line. Anything else is a bug:
 * one line asking for a report; the stack only with BIOGRAD_DEBUG=1.
 */
function reportUnexpected(error: unknown, io: CliIO): void {
  const errno = errnoCode(error);
  if (errno !== undefined && MACHINE_ERRORS.has(errno)) {
    const path = (error as NodeJS.ErrnoException).path;
    io.err(`biograd: ${path ? `${path}: ` : ""}${describeIoError(error)}`);
    return;
  }
  const text = error instanceof Error ? error.message || error.name : String(error);
  const message = text.split("\n")[0]!.trim();
  io.err(
    `biograd: internal error: ${message} — please report it; set BIOGRAD_DEBUG=1 for the stack`,
  );
  if (process.env.BIOGRAD_DEBUG && process.env.BIOGRAD_DEBUG !== "0" && error instanceof Error) {
    io.err(error.stack ?? error.message);
  }
}

const MACHINE_ERRORS: ReadonlySet<string> = new Set([
  "ENOSPC",
  "EDQUOT",
  "EIO",
  "EROFS",
  "EFBIG",
  "EPIPE",
  "EMFILE",
  "ENFILE",
]);
