import { availableParallelism } from "node:os";

/** Worker threads when none are asked for: one per core the machine offers this process. */
export function defaultWorkers(): number {
  return availableParallelism();
}

/**
 * Caps a worker count at the machine's cores: more threads than cores only share the cores
 * and add start-up time and memory. 0 (run in the calling thread) stays 0.
 */
export function capWorkers(
  requested: number,
  cores: number = availableParallelism(),
): { workers: number; capped: boolean } {
  if (requested > cores) return { workers: cores, capped: true };
  return { workers: requested, capped: false };
}

/**
 * Pool threads to start for `workers` fitting threads: with a worker for every core (2 or
 * more), the calling thread is one of the fitting threads and one thread fewer starts — no
 * more runnable threads than cores, one thread fewer to start and to compile the code in.
 */
export function poolThreadsFor(workers: number, cores: number = availableParallelism()): number {
  return workers >= 2 && workers >= cores ? workers - 1 : workers;
}

/**
 * Jobs handed to each thread of a fitting pool at once: a thread finds its next job waiting
 * when it finishes one, even while the thread handing them out is busy (reading, writing).
 */
export const QUEUED_PER_FITTING_THREAD = 2;
