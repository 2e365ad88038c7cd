import { startQueueWorker, type WorkerEvent } from "../queue/worker.js";
import { VERSION } from "../version.js";
import type { CliIO } from "./io.js";

export interface WorkerFlags {
  queue: string;
  concurrency: number;
  lockDuration: number;
  stalledInterval: number;
  quiet?: boolean;
}

/**
 * `biograd worker --queue URL [--concurrency N]`: runs queue jobs until SIGTERM or SIGINT,
 * then stops taking jobs, finishes the ones it holds and exits 0; a second signal releases
 * them instead (they are retried elsewhere once their lock expires). One line per job on
 * stderr unless --quiet. BIOGRAD_QUEUE_TEST_FAIL_GROUP and BIOGRAD_QUEUE_TEST_SLOW_MS are
 * test-only hooks (docs/QUEUE.md): a chunk holding that group throws on every attempt; each
 * job waits that long first (so a test can kill a worker mid-job).
 */
export async function workerCommand(flags: WorkerFlags, io: CliIO): Promise<number> {
  const failGroup = process.env.BIOGRAD_QUEUE_TEST_FAIL_GROUP || null;
  const worker = await startQueueWorker(flags.queue, {
    concurrency: flags.concurrency,
    lockDurationMs: flags.lockDuration,
    stalledIntervalMs: flags.stalledInterval,
    failGroup,
    slowMs: Number(process.env.BIOGRAD_QUEUE_TEST_SLOW_MS ?? 0) || 0,
    onEvent: flags.quiet ? undefined : (e) => io.err(eventLine(e)),
  });
  io.err(
    `worker ${worker.id}: biograd ${VERSION}, ${flags.concurrency} job${flags.concurrency === 1 ? "" : "s"} at a time; ready (SIGTERM to stop)`,
  );
  await new Promise<void>((resolve, reject) => {
    let signals = 0;
    const onSignal = (name: string) => {
      signals++;
      io.err(
        signals === 1
          ? `worker ${worker.id}: ${name}: finishing the current jobs, then exiting`
          : `worker ${worker.id}: ${name} again: releasing the current jobs`,
      );
      worker.stop(signals > 1).then(resolve, reject);
    };
    process.on("SIGTERM", () => onSignal("SIGTERM"));
    process.on("SIGINT", () => onSignal("SIGINT"));
  });
  io.err(`worker ${worker.id}: stopped`);
  return 0;
}

function eventLine(e: WorkerEvent): string {
  const id = e.id.slice(0, 13);
  if (e.type === "done") {
    return `${id} ${e.kind}: done in ${Math.round(e.ms)} ms${e.stored ? "" : " (duplicate result discarded)"}`;
  }
  if (e.type === "duplicate") return `${id}: result already stored, not run again`;
  return `${id}: attempt ${e.attempt} failed: ${e.reason}${e.dead ? " (dead letter)" : ""}`;
}
