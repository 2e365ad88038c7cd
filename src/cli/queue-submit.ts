import type { JobExecutor } from "../batch/job.js";
import { parseWith } from "../core/schema.js";
import type { QueueRunStats } from "../queue/queue-executor.js";
import type { RunRecord } from "../sweep/record.js";
import type { RunSpec } from "../sweep/spec.js";
import type { GroupsChunk } from "../tasks/fit-groups-chunk.js";
import type { GroupRow } from "../tasks/fit-groups-row.js";
import type { CliIO } from "./io.js";

// The queue's modules (bullmq and ioredis: ~12 % of a 10,000-curve grouped fit's whole process
// when they were static imports here) load only when --queue is given; `fit --group` and
// `sweep` import this file for its types and these two functions.
const queueModules = () =>
  Promise.all([import("../queue/open-queue.js"), import("../queue/queue-executor.js")]);

/** The submitter's queue options on `fit --group` and `sweep` (see queue.ts). */
export interface QueueFlags {
  queue?: string;
  maxAttempts?: number;
  retryDelay?: number;
  queueShare?: string;
}

export interface SubmitQueue<Req, Res> {
  executor: JobExecutor<Req, Res>;
  /** Prints what the queue did (reused results, dead letters) and closes the connection. */
  close(): Promise<void>;
}

/**
 * `fit --group … --queue URL`: the grouped fit's chunks as queue jobs. Connects and runs the
 * version handshake first (exit 2, nothing enqueued, when that fails). A chunk that failed
 * for good comes back as its groups' failed rows with the reason, so the batch completes.
 */
export async function groupsQueue(
  flags: QueueFlags & { queue: string },
  io: CliIO,
): Promise<SubmitQueue<GroupsChunk, GroupRow[]>> {
  const [{ openSubmitQueue }, { queueExecutor }] = await queueModules();
  const { encodeChunk } = await import("../queue/chunk-codec.js");
  const { prepareGroupsModel } = await import("../tasks/fit-groups-model.js");
  const { failedRow } = await import("../tasks/fit-groups-row.js");
  const { chunkResultSchema } = await import("../tasks/fit-groups-row-schema.js");
  const conn = await openSubmitQueue(flags.queue);
  let params: readonly string[] | null = null;
  const executor = queueExecutor<GroupsChunk, GroupRow[]>(conn, {
    kind: "fit-groups-chunk",
    encode: encodeChunk,
    decode: (value, where) => parseWith(chunkResultSchema, value, where),
    dead: (chunk, reason) => {
      params ??= prepareGroupsModel(chunk.request, chunk.labels).model.params;
      return chunk.groups.map((g) =>
        failedRow(g.key, params!, g.columns[0]?.length ?? 0, `queue: ${reason}`),
      );
    },
    ...common(flags),
  });
  return { executor, close: closer(conn, executor, io) };
}

/** `sweep … --queue URL`: each cell a `sweep-cell` task on the queue. */
export async function sweepQueue(
  flags: QueueFlags & { queue: string },
  io: CliIO,
): Promise<SubmitQueue<RunSpec, RunRecord>> {
  const [{ openSubmitQueue }, { queueExecutor }] = await queueModules();
  const { sweepCellResultSchema } = await import("../tasks/sweep-cell-result.js");
  const conn = await openSubmitQueue(flags.queue);
  const executor = queueExecutor<RunSpec, RunRecord>(conn, {
    kind: "sweep-cell",
    encode: (spec) => spec,
    decode: (value, where) => parseWith(sweepCellResultSchema, value, where) as RunRecord,
    ...common(flags),
  });
  return { executor, close: closer(conn, executor, io) };
}

function common(flags: QueueFlags) {
  return {
    maxAttempts: flags.maxAttempts ?? 3,
    backoffMs: flags.retryDelay ?? 1000,
    shareDir: flags.queueShare ?? null,
  };
}

function closer(
  conn: { close(): Promise<void>; address: { display: string } },
  executor: JobExecutor<unknown, unknown> & { stats(): QueueRunStats },
  io: CliIO,
) {
  return async () => {
    await executor.close();
    await conn.close();
    const s = executor.stats();
    const parts = [`${s.enqueued} jobs enqueued`];
    if (s.alreadyQueued > 0) parts.push(`${s.alreadyQueued} already queued by an earlier run`);
    if (s.reused > 0) parts.push(`${s.reused} results taken from earlier runs`);
    if (s.readded > 0) parts.push(`${s.readded} lost jobs enqueued again`);
    if (s.dead > 0) parts.push(`${s.dead} failed for good (dead letters)`);
    io.err(`queue ${conn.address.display}: ${parts.join(", ")}`);
  };
}
