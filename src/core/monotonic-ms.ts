/**
 * Milliseconds since an arbitrary start, monotonic: for run timings reported by Node-only code
 * on a command's start-up path. `performance.now()` would do, but its first use in a process
 * loads node:perf_hooks (about 2 ms of a `biograd fit --group` process, bench/startup).
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
