import type { RunRecord } from "./record.js";
import type { RunSpec } from "./spec.js";

/**
 * Executes one run through the library (never the CLI): the worker's whole job. Each kind of
 * run's code is loaded on first use, so a pool of `train` workers starts without the formula
 * compiler and the nls statistics (a worker's start-up is most of a short run's cost).
 */
export async function executeRun(spec: RunSpec): Promise<RunRecord> {
  switch (spec.command) {
    case "train":
      return (await import("./run-train.js")).runTrain(spec);
    case "fit":
      return (await import("./run-fit.js")).runFit(spec);
  }
}

/** What a worker hands back: the record, or the error that stopped the run (cloned as data). */
export type WorkerReply =
  | { ok: true; record: RunRecord }
  | { ok: false; error: { name: string; code: string | null; message: string; stack: string } };

export async function executeReply(spec: RunSpec): Promise<WorkerReply> {
  try {
    return { ok: true, record: await executeRun(spec) };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    const code = (e as { code?: unknown }).code;
    return {
      ok: false,
      error: {
        name: e.name,
        code: typeof code === "string" ? code : null,
        message: e.message,
        stack: e.stack ?? "",
      },
    };
  }
}
