import type { JobExecutor } from "../batch/job.js";
import { poolExecutor } from "../batch/pool-executor.js";
import { parseWith } from "../core/schema.js";
import { runSpecSchema } from "../sweep/journal-schema.js";
import { decodeChunk } from "./chunk-codec.js";
import type { JobKind } from "./job-data.js";

/**
 * Runs a job's payload on worker threads, so the worker's own thread stays free to renew
 * BullMQ's job locks and to see SIGTERM while a long chunk is fitted. One pool per kind,
 * made on first use: a grouped-fit chunk goes to `fitGroupsChunk` (the same function the
 * local run calls), a sweep cell to `runTask` (the task layer).
 */
export function payloadRunner(threads: number) {
  const pools = new Map<JobKind, JobExecutor<unknown, unknown>>();
  const pool = (kind: JobKind) => {
    let p = pools.get(kind);
    if (!p) {
      p =
        kind === "fit-groups-chunk"
          ? poolExecutor({
              module: new URL("../tasks/fit-groups-chunk.js", import.meta.url),
              exportName: "fitGroupsChunk",
              threads,
            })
          : poolExecutor({
              module: new URL("../tasks/run-task.js", import.meta.url),
              exportName: "runTask",
              threads,
            });
      pools.set(kind, p);
    }
    return p;
  };
  return {
    /** Decodes and checks the payload (what the test hook needs to see), then runs it. */
    decode(kind: JobKind, payload: unknown, where: string): unknown {
      return kind === "fit-groups-chunk"
        ? decodeChunk(payload, where)
        : parseWith(runSpecSchema, payload, where);
    },
    run(kind: JobKind, key: string, request: unknown): Promise<unknown> {
      return pool(kind).run({ key, request });
    },
    async close() {
      await Promise.all([...pools.values()].map((p) => p.close()));
    },
  };
}
