import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { capWorkers, defaultWorkers } from "../batch/workers.js";
import { InputError } from "../core/errors.js";
import { type Budget, parseBudget } from "../sweep/budget.js";
import { parseGrid } from "../sweep/grid.js";
import { optimizerSetting, splitOptimizer, trainSpecText } from "../sweep/optimizer-spec.js";
import { outFormat } from "../sweep/output.js";
import type { OptimizerSetting, RunSpec } from "../sweep/spec.js";
import { parseOptimizer } from "./specs.js";
import { DEFAULT_LRS, type SweepFlags } from "./sweep-flags.js";

/** What both sweep subcommands share, checked before any data is read. */
export interface Setup {
  grid: ReturnType<typeof parseGrid>;
  optimizerName: string;
  optimizer: (lr: number) => OptimizerSetting;
  dataFields: (
    x: string[],
  ) => Pick<RunSpec, "file" | "fileSha256" | "x" | "y" | "na" | "delimiter">;
  budget: Budget | null;
  /** Worker threads, capped at the machine's cores (0: the calling thread). */
  workers: number;
  /** Why --workers was lowered, or null. */
  workersNote: string | null;
}

/** Everything both subcommands check before reading data: grid, optimizer, budget, --out. */
export function commonSetup(file: string, flags: SweepFlags, kind: "train" | "fit"): Setup {
  if (flags.out !== undefined) outFormat(flags.out);
  const opt = splitOptimizer(flags.optimizer);
  if (opt.lrInSpec !== undefined && flags.lr !== undefined) {
    throw new InputError(
      `--optimizer: give the learning rates with --lr, not in the optimizer spec ("${flags.optimizer}")`,
    );
  }
  const grid = parseGrid({
    clip: flags.clip,
    clipKinds: flags.clipKinds,
    thresholds: flags.thresholds,
    lr: flags.lr ?? opt.lrInSpec ?? DEFAULT_LRS[kind],
    seeds: flags.seeds,
  });
  // The existing spec parser checks the settings and their domains, with its messages.
  for (const lr of grid.lrs) parseOptimizer(trainSpecText(opt, lr));
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    bytes = Buffer.alloc(0); // readDataset reports the missing file with its own message
  }
  const fileSha256 = createHash("sha256").update(bytes).digest("hex");
  const path = resolve(file);
  return {
    grid,
    optimizerName: [opt.name, ...opt.settings].join(","),
    optimizer: (lr) => optimizerSetting(opt, lr),
    dataFields: (x) => ({
      file: path,
      fileSha256,
      x,
      y: flags.y,
      na: flags.na === undefined ? null : flags.na.split(","),
      delimiter: flags.delimiter ?? null,
    }),
    budget: flags.budget === undefined ? null : parseBudget(flags.budget),
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
export function splitColumns(text: string): string[] {
  const columns = text.split(",").map((s) => s.trim());
  if (columns.some((c) => c === "")) throw new InputError(`--x: empty column name in "${text}"`);
  return columns;
}

/** The reader's options for the sweep's columns. */
export function dataOptions(columns: string[], flags: SweepFlags) {
  return {
    x: columns,
    y: flags.y,
    na: flags.na === undefined ? undefined : flags.na.split(","),
    delimiter: flags.delimiter,
  };
}
