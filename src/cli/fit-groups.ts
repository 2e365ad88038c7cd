import { capWorkers } from "../batch/workers.js";
import { InputError } from "../core/errors.js";
import { planOutputs } from "../io/output-plan.js";
import { beginReplaceFile } from "../io/replace-file-stream.js";
import { runCheckedFitGroups } from "../tasks/fit-groups.js";
import type { FitGroupsRequest } from "../tasks/fit-groups-request.js";
import { groupsCsvHeader, groupsProgress, printGroups, SHOWN_GROUPS } from "./fit-groups-print.js";
import { checkedGroupsRequest } from "./fit-groups-request-check.js";
import { CLI_LABELS, type FitFlags, fitRequest } from "./fit-request.js";
import type { CliIO } from "./io.js";
import { groupsQueue, type QueueFlags } from "./queue-submit.js";

/** `biograd fit`'s options for grouped fits (see program.ts). */
export interface FitGroupsFlags {
  group?: string;
  share?: string;
  compareShared?: boolean;
  fast?: boolean;
  workers?: number;
  resume?: string;
  quiet?: boolean;
}

/**
 * `biograd fit FILE --group compound[,plate] …`: the `fit-groups` task. Outputs are checked
 * before any work; `--out` is CSV (one row per group) when named .csv, else the JSON result.
 * Groups that fail are rows with their reason; the run fails (exit 1) only when none fitted.
 */
export async function fitGroupsCommand(
  file: string,
  flags: FitFlags & FitGroupsFlags & QueueFlags,
  io: CliIO,
): Promise<number> {
  const plan = planOutputs(
    [
      { option: "--out", path: flags.out },
      { option: "--resume", path: flags.resume },
    ],
    [file],
  );
  const request = groupsRequest(file, flags);
  const { workers, capped } = capWorkers(flags.workers ?? 0);
  if (capped) io.err(`note: --workers ${flags.workers} is more than the cores; using ${workers}`);
  const queue =
    flags.queue === undefined ? null : await groupsQueue({ ...flags, queue: flags.queue }, io);
  const progress = await groupsProgress(io, flags.quiet === true || flags.format === "json");
  const json = flags.format === "json";
  // A CSV --out is written while the groups are fitted (a temp file, renamed at the end), so
  // the rows need not stay in memory; a JSON --out holds everything and is written at the end.
  const csv = flags.out?.toLowerCase().endsWith(".csv") === true;
  const begin = () => beginReplaceFile(flags.out!, { shownAs: flags.out });
  let stream = csv ? begin() : null;
  let result: Awaited<ReturnType<typeof runCheckedFitGroups>>;
  try {
    // Checked here, where runFitGroups checked it: a request within the schema's limits skips
    // zod (fit-groups-request-check.ts); any other gets the schema's message.
    const checked =
      checkedGroupsRequest(request) ??
      (await import("./fit-request-schema.js")).checkGroupsRequest(request);
    result = await runCheckedFitGroups(checked, {
      labels: CLI_LABELS,
      workers,
      journal: flags.resume ?? null,
      onProgress: progress.onProgress,
      ...(stream
        ? {
            onStart: (info: { params: readonly string[] }) =>
              stream!.write(groupsCsvHeader(request.group, info.params)),
            onCsvBytes: (bytes: Uint8Array) => stream!.write(bytes),
            // The file turned out not to be grouped late in it: the rows written are void.
            onRestart: () => {
              stream!.abort();
              stream = begin();
            },
          }
        : {}),
      // Only the groups printed stay in memory, unless the JSON result holds them all.
      keepRows: json || (flags.out !== undefined && !csv) ? Number.POSITIVE_INFINITY : SHOWN_GROUPS,
      executor: queue?.executor,
    });
    stream?.commit();
  } catch (error) {
    stream?.abort();
    throw error;
  } finally {
    progress.stop();
    await queue?.close();
  }
  if (flags.out !== undefined && !csv) {
    plan.write("--out", `${JSON.stringify(result, null, 1)}\n`);
  }
  if (flags.format === "json") io.out(JSON.stringify(result));
  else {
    if (result.run.resumedChunks > 0) {
      io.out(
        `resume: ${result.run.resumedChunks} of ${result.run.chunks} chunks taken from ${flags.resume}`,
      );
    }
    printGroups(io, result);
    if (flags.out !== undefined) io.out(`wrote ${flags.out}`);
  }
  if (result.counts.fitted === 0) {
    io.err("biograd: no group could be fitted");
    return 1;
  }
  return 0;
}

function groupsRequest(file: string, flags: FitFlags & FitGroupsFlags): FitGroupsRequest {
  const { task: _task, ...single } = fitRequest(file, flags);
  const request: FitGroupsRequest = {
    ...single,
    task: "fit-groups",
    group: names("--group", flags.group ?? ""),
  };
  if (flags.share !== undefined) request.share = names("--share", flags.share);
  if (flags.compareShared) {
    if (request.share === undefined) {
      throw new InputError("--compare-shared: name the shared parameters with --share");
    }
    request.compareShared = true;
  }
  if (flags.fast) request.engine = "fast";
  return request;
}

function names(option: string, text: string): string[] {
  const parts = text.split(",").map((s) => s.trim());
  if (parts.some((p) => p === "")) throw new InputError(`${option}: empty name in "${text}"`);
  return parts;
}
