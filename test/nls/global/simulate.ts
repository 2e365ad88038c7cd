import type { GlobalGroup } from "../../../src/nls/global/index.js";

/** A seeded uniform generator (mulberry32): reproducible simulated screens. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box–Muller). */
export function normal(u: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

/**
 * `count` 4PL inhibition curves in log10 concentration (8 doses × `replicates`), bottom ~ 5,
 * top ~ 100, logEC50 uniform in (−7, −5), doses 1e-10 … 1e-3, a common hill of `hill`, noise sd `sd`.
 */
export function fourPlScreen(
  count: number,
  options: { seed: number; hill: number; sd: number; replicates?: number },
): { groups: GlobalGroup[]; truth: { logEC50: number[] } } {
  const u = rng(options.seed);
  const reps = options.replicates ?? 3;
  const doses = Array.from({ length: 8 }, (_, k) => -10 + k);
  const groups: GlobalGroup[] = [];
  const logEC50: number[] = [];
  for (let g = 0; g < count; g++) {
    const bottom = 5 + 2 * normal(u);
    const top = 100 + 5 * normal(u);
    const ec = -7 + 2 * u();
    logEC50.push(ec);
    const x = new Float64Array(doses.length * reps);
    const y = new Float64Array(doses.length * reps);
    doses.forEach((d, k) => {
      for (let r = 0; r < reps; r++) {
        const i = k * reps + r;
        x[i] = d;
        const f = bottom + (top - bottom) / (1 + 10 ** ((ec - d) * options.hill));
        y[i] = f + options.sd * normal(u);
      }
    });
    groups.push({
      name: `c${g + 1}`,
      columns: [x],
      y,
      start: { bottom, top, logEC50: ec, hill: options.hill },
    });
  }
  return { groups, truth: { logEC50 } };
}
