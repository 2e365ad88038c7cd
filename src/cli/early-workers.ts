import { startPoolEarly } from "../batch/pool-start.js";
import { capWorkers, poolThreadsFor, QUEUED_PER_FITTING_THREAD } from "../batch/workers.js";

/**
 * Starts the worker threads of `biograd fit FILE --group … --workers N` before the program is
 * loaded: a thread's own start-up (150-300 ms) then runs while this thread loads the command's
 * code and opens the file, and the grouped fit's executor takes the pool over (same threads,
 * same queue per thread; else main.ts destroys it). Reads the command line as commander will,
 * for these options only; a command line it is unsure of starts nothing.
 */
export function startWorkersEarly(argv: readonly string[], cores?: number): boolean {
  if (argv[0] !== "fit") return false;
  let group = false;
  let workers = 0;
  for (let k = 1; k < argv.length; k++) {
    const arg = argv[k]!;
    if (arg === "--") break;
    const [name, inline] = arg.startsWith("--") ? splitOption(arg) : [arg, undefined];
    if (name === "--help" || name === "-h" || name === "--queue") return false;
    if (name === "--group") group = true;
    if (name === "--workers") {
      const value = inline ?? argv[++k];
      if (value === undefined || !/^\d+$/.test(value)) return false;
      workers = Number(value);
    }
  }
  if (!group) return false;
  const threads = poolThreadsFor(capWorkers(workers, cores).workers, cores);
  if (threads < 1) return false;
  startPoolEarly({ threads, queuedPerThread: QUEUED_PER_FITTING_THREAD });
  return true;
}

function splitOption(arg: string): [string, string | undefined] {
  const eq = arg.indexOf("=");
  return eq < 0 ? [arg, undefined] : [arg.slice(0, eq), arg.slice(eq + 1)];
}
