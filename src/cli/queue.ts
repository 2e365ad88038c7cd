import { type Command, Option } from "commander";
import { InputError } from "../core/errors.js";
import type { CliIO } from "./io.js";
import { parseInteger } from "./specs.js";
import type { WorkerFlags } from "./worker.js";

const int = (flag: string, min: number) => (v: string) => parseInteger(flag, v, min);
const URL_HELP = "the queue's Redis: redis://host:6379[/db]";

/**
 * The distributed commands: `biograd worker`, `biograd queue status|clean`, and the
 * submitter's options (`--queue`, `--max-attempts`, `--retry-delay`, `--queue-share`) added
 * to `fit` (grouped fits) and `sweep train|fit`, so program.ts registers all of it in one
 * line. See docs/QUEUE.md.
 */
export function registerQueue(program: Command, io: CliIO, setCode: (code: number) => void): void {
  const fit = program.commands.find((c) => c.name() === "fit");
  const sweep = program.commands.find((c) => c.name() === "sweep");
  for (const command of [fit, ...(sweep?.commands ?? [])]) if (command) submitOptions(command);

  program
    .command("worker")
    .description("Run queued fits and sweep cells from a Redis queue until SIGTERM")
    .requiredOption("--queue <redis-url>", URL_HELP)
    .option(
      "--concurrency <n>",
      "jobs at once, each on a worker thread",
      int("--concurrency", 1),
      1,
    )
    .option(
      "--lock-duration <ms>",
      "a job whose worker stops renewing its lock this long is retried elsewhere",
      int("--lock-duration", 100),
      30_000,
    )
    .option(
      "--stalled-interval <ms>",
      "how often to look for jobs whose lock expired",
      int("--stalled-interval", 100),
      30_000,
    )
    .option("--quiet", "no line per job on stderr")
    .action(async (flags: WorkerFlags) => {
      const { workerCommand } = await import("./worker.js");
      setCode(await workerCommand(flags, io));
    });

  const queue = program.command("queue").description("Inspect or empty a biograd queue");
  queue
    .command("status")
    .description("Jobs waiting, running, failed; dead letters with their reasons; workers")
    .requiredOption("--queue <redis-url>", URL_HELP)
    .addOption(new Option("--format <kind>", "output").choices(["table", "json"]).default("table"))
    .action(async (flags: { queue: string; format: string }) =>
      setCode(await statusCommand(flags, io)),
    );
  queue
    .command("clean")
    .description("Remove every job, stored result and dead letter (a rerun then recomputes)")
    .requiredOption("--queue <redis-url>", URL_HELP)
    .option("--force", "also remove jobs that are waiting or running")
    .action(async (flags: { queue: string; force?: boolean }) =>
      setCode(await cleanCommand(flags, io)),
    );
}

export function submitOptions(command: Command): void {
  command
    .option(
      "--queue <redis-url>",
      `run the jobs on queue workers (\`biograd worker\`): ${URL_HELP}`,
    )
    .option(
      "--max-attempts <n>",
      "with --queue: tries per job before it is a dead letter",
      int("--max-attempts", 1),
      3,
    )
    .option(
      "--retry-delay <ms>",
      "with --queue: first retry after this, doubled each retry",
      int("--retry-delay", 0),
      1000,
    )
    .option(
      "--queue-share <dir>",
      "with --queue: where payloads over 256 KiB go (a path every worker sees; default Redis)",
    );
}

// The queue's modules (bullmq, ioredis) load only when a queue command runs.
async function statusCommand(flags: { queue: string; format: string }, io: CliIO) {
  const { openQueue } = await import("../queue/open-queue.js");
  const { queueStatus } = await import("../queue/status.js");
  const conn = await openQueue(flags.queue);
  try {
    const s = await queueStatus(conn);
    if (flags.format === "json") {
      io.out(JSON.stringify(s));
      return 0;
    }
    const { counts } = s;
    io.out(`queue ${conn.address.display} (biograd ${s.version ?? "-"})`);
    io.out(
      `waiting ${counts.waiting}, active ${counts.active}, delayed ${counts.delayed} (retry backoff), failed ${counts.failed}, completed ${s.results} (results stored), dead ${s.dead}`,
    );
    for (const w of s.workers) {
      const seen = Math.round((Date.now() - w.seenAt) / 1000);
      io.out(
        `worker ${w.id}: biograd ${w.version}, ${w.concurrency} at a time, ${w.live ? "live" : "silent"} (seen ${seen} s ago)`,
      );
    }
    for (const d of s.deadLetters) {
      io.out(
        `dead ${d.id.slice(0, 13)}: ${d.reason}${d.attempts === null ? "" : ` (after ${d.attempts} attempts)`}`,
      );
    }
    for (const f of s.failedJobs) {
      io.out(`failed ${f.id.slice(0, 13)} ${f.name}: ${f.reason} (${f.attempts} attempts)`);
    }
    return 0;
  } finally {
    await conn.close();
  }
}

async function cleanCommand(flags: { queue: string; force?: boolean }, io: CliIO) {
  const { openQueue } = await import("../queue/open-queue.js");
  const { cleanQueue } = await import("../queue/status.js");
  const conn = await openQueue(flags.queue);
  try {
    const inFlight = await conn.inFlight();
    if (inFlight > 0 && !flags.force) {
      throw new InputError(
        `queue clean: ${inFlight} jobs are waiting or running on ${conn.address.display}; --force removes them too`,
      );
    }
    const removed = await cleanQueue(conn);
    io.out(
      `queue ${conn.address.display}: removed every job, ${removed.results} results and ${removed.dead} dead letters`,
    );
    return 0;
  } finally {
    await conn.close();
  }
}
