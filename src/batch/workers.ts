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
