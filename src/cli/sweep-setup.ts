import { resolve } from "node:path";
import { capWorkers, defaultWorkers } from "../batch/workers.js";
import { InputError } from "../core/errors.js";
import { type OutputPlan, planOutputs } from "../io/output-plan.js";
import { type Budget, parseBudget } from "../sweep/budget.js";
import { parseGrid } from "../sweep/grid.js";
import { parseOptimizerGrid } from "../sweep/grid-optimizer.js";
import { outFormat } from "../sweep/output.js";
import type { FileSource } from "../tasks/data-source.js";
import { fileSha256 } from "../tasks/sweep-cell.js";
import type { ClipSpec, TransformSpecInput } from "../transforms/spec.js";
import { checkPlot } from "./plot-output.js";
import { DEFAULT_LRS, type SweepFlags } from "./sweep-flags.js";

/** What both sweep subcommands share, checked before any data is read. */
export interface Setup {
  grid: ReturnType<typeof parseGrid>;
  /** `sgd,momentum=0.9`: the optimizer without its rate, for the plan line. */
  optimizerName: string;
  /** The transform spec of one setting: the guard, the clip, the optimizer at the rate. */
  transform: (clip: ClipSpec, lr: number) => TransformSpecInput;
  /** The data as the user named it (for messages) and as the cells name it (absolute). */
  source: FileSource;
  cellSource: FileSource;
  /** The data file's SHA-256 (cells refuse a changed file), or undefined if unreadable. */
  dataSha256: string | undefined;
  budget: Budget | null;
  /** `--out` and `--resume`, checked before any run. */
  outputs: OutputPlan;
  /** Worker threads, capped at the machine's cores (0: the calling thread). */
  workers: number;
  /** Why --workers was lowered, or null. */
  workersNote: string | null;
}

/**
 * Everything both subcommands check before reading data: `--out` and `--resume` (neither may
 * be the input file, a FIFO, a device or in a missing directory), the grid, the optimizer at
 * every rate, the budget and the workers.
 */
export function commonSetup(file: string, flags: SweepFlags, kind: "train" | "fit"): Setup {
  if (flags.out !== undefined) outFormat(flags.out);
  checkPlot(flags.plot);
  const outputs = planOutputs(
    [
      { option: "--out", path: flags.out },
      { option: "--resume", path: flags.resume },
      { option: "--plot", path: flags.plot },
    ],
    [file],
  );
  const opt = parseOptimizerGrid(flags.optimizer);
  if (opt.lrInText !== undefined && flags.lr !== undefined) {
    throw new InputError(
      `--optimizer: give the learning rates with --lr, not in the optimizer spec ("${flags.optimizer}")`,
    );
  }
  const grid = parseGrid({
    clip: flags.clip,
    clipKinds: flags.clipKinds,
    thresholds: flags.thresholds,
    lr: flags.lr ?? opt.lrInText ?? DEFAULT_LRS[kind],
    seeds: flags.seeds,
  });
  for (const lr of grid.lrs) opt.at(lr); // every rate's spec checked before any run
  let dataSha256: string | undefined;
  try {
    dataSha256 = fileSha256(file);
  } catch {
    dataSha256 = undefined; // the reader reports the missing file with its own message
  }
  const extra = {
    ...(flags.na === undefined ? {} : { na: flags.na.split(",") }),
    ...(flags.delimiter === undefined ? {} : { delimiter: flags.delimiter }),
    ...(flags.sheet === undefined ? {} : { sheet: flags.sheet }),
  };
  return {
    grid,
    optimizerName: opt.label,
    transform: (clip, lr) => ({ guard: flags.onNonFinite, clip, optimizer: opt.at(lr) }),
    source: { file, ...extra },
    cellSource: { file: resolve(file), ...extra },
    dataSha256,
    budget: flags.budget === undefined ? null : parseBudget(flags.budget),
    outputs,
    ...workers(flags.workers),
  };
}

/** `--workers` (default: every core), capped at the cores: more threads would only share them. */
function workers(requested: number | undefined): Pick<Setup, "workers" | "workersNote"> {
  if (requested === undefined) return { workers: defaultWorkers(), workersNote: null };
  const { workers, capped } = capWorkers(requested);
  const cores = `${workers} core${workers === 1 ? "" : "s"}`;
  return {
    workers,
    workersNote: capped
      ? `--workers ${requested}: this machine has ${cores}; using ${workers}`
      : null,
  };
}

/** `x1,x2` → column names, none empty. */
export function splitColumns(option: string, text: string): string[] {
  const columns = text.split(",").map((s) => s.trim());
  if (columns.some((c) => c === ""))
    throw new InputError(`${option}: empty column name in "${text}"`);
  return columns;
}
