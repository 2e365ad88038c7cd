import type { Stats } from "node:fs";
import { InputError } from "../core/errors.js";
import { failedReportPath, failedReportText } from "./failed-report.js";
import { type OutputFs, withFs } from "./output-fs.js";
import { type OutputTarget, resolveOutput } from "./output-target.js";
import { replaceFile } from "./replace-file.js";

/** One output a command may write: the option that names it and the path given (if any). */
export interface OutputRequest {
  option: string;
  path: string | undefined;
}

/** Checked outputs: write a result, or a failure report beside it. */
export interface OutputPlan {
  /** The path given for `option`, or undefined when the option was not used. */
  path(option: string): string | undefined;
  /** Replaces the output atomically; returns the path written, or null if not requested. */
  write(option: string, text: string | Uint8Array): string | null;
  /**
   * A failed run: writes `doc` as JSON to `<name>.failed.json` beside the output and never
   * touches the output itself. Returns that path, or null if the option was not used.
   */
  writeFailed(option: string, doc: unknown): string | null;
  /**
   * A result that may not have converged. Converged: `write(option, text)` (default: `doc`
   * as JSON, one field a line). Not converged: the run failed (exit 1), so `writeFailed`:
   * the result is kept, but only beside the output, and `doc` must itself say
   * `converged: false` (e.g. `result.converged` of a fit) so that readers such as
   * `predict` can refuse it unless told otherwise (`--allow-unconverged`).
   */
  save(option: string, doc: unknown, outcome: { converged: boolean; text?: string }): SaveResult;
}

/** Where `save` wrote (null: the option was not used) and whether it was the failure report. */
export interface SaveResult {
  path: string | null;
  failed: boolean;
}

export interface PlanOptions {
  /** Replace file-system calls (tests). */
  fs?: Partial<OutputFs>;
}

/**
 * Checks every output before any work, so a run never fails at its end for a path it could
 * have refused at its start, and never writes over its own input. Refusals are `InputError`s
 * (exit 2), one line naming the option and path:
 *   `--out m.csv: is the input file (give another path)`
 *   `--out out/x.json: directory "out" does not exist`
 *   `--out p: is a FIFO; expected a regular file or a new path`
 * Inputs are compared by device and inode (hard links, symlinks, `./a/../m.csv` spellings);
 * inputs that do not exist are left for their reader to report. Each output's failure
 * report path (`fit.failed.json`) is checked the same way.
 */
export function planOutputs(
  outputs: readonly OutputRequest[],
  inputs: readonly string[],
  options: PlanOptions = {},
): OutputPlan {
  const fs = withFs(options.fs);
  const inputFiles = inputs.flatMap((path) => {
    const st = statOrNull(fs, path);
    return st ? [{ path, st }] : [];
  });
  const given = new Map<string, string | undefined>();
  const claimed: { option: string; resolved: OutputTarget }[] = [];

  for (const { option, path } of outputs) {
    given.set(option, path);
    if (path === undefined) continue;
    for (const [shown, what] of [
      [path, ""],
      [failedReportPath(path), `its failure report ${failedReportPath(path)} `],
    ] as const) {
      const refuse = (problem: string): never => {
        throw new InputError(`${option} ${path}: ${what}${problem}`);
      };
      const resolved = resolveOutput(shown, fs);
      if ("problem" in resolved) refuse(resolved.problem);
      const out = resolved as OutputTarget;
      const input = inputFiles.find((i) => sameFile(out, fs, i.st));
      if (input) {
        refuse(
          input.path === shown
            ? "is the input file (give another path)"
            : `is the input file ${input.path} (give another path)`,
        );
      }
      if (what !== "") continue;
      const other = claimed.find(
        (c) => c.resolved.target === out.target || sameFile(out, fs, c.resolved.existing),
      );
      if (other) refuse(`is the same file as ${other.option} (give another path)`);
      claimed.push({ option, resolved: out });
    }
  }

  const pathOf = (option: string): string | undefined => {
    if (!given.has(option)) throw new Error(`output ${option} was not planned`);
    return given.get(option);
  };
  return {
    path: pathOf,
    write(option, text) {
      const path = pathOf(option);
      if (path === undefined) return null;
      replaceFile(path, text, { fs, shownAs: path });
      return path;
    },
    writeFailed(option, doc) {
      const path = pathOf(option);
      if (path === undefined) return null;
      const report = failedReportPath(path);
      replaceFile(report, failedReportText(doc), { fs, shownAs: report });
      return report;
    },
    save(option, doc, outcome) {
      if (!outcome.converged) return { path: this.writeFailed(option, doc), failed: true };
      return { path: this.write(option, outcome.text ?? failedReportText(doc)), failed: false };
    },
  };
}

function sameFile(out: OutputTarget, fs: OutputFs, st: Stats | null): boolean {
  const a = out.existing ?? statOrNull(fs, out.target);
  return a !== null && st !== null && a.dev === st.dev && a.ino === st.ino;
}

function statOrNull(fs: OutputFs, path: string): Stats | null {
  try {
    return fs.statSync(path);
  } catch {
    return null;
  }
}
