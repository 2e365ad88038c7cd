/**
 * MT19937 (Matsumoto & Nishimura 1998) seeded as numpy's legacy `np.random.seed(int)`
 * does (init_genrand). With `rng.ts`'s uniform and polar-normal construction on top, it
 * reproduces numpy's `np.random.rand` / `np.random.randn` streams, so the seed document's
 * example can be replayed number for number (`biograd demo seed --rng numpy`).
 * Returns the generator of 32-bit outputs.
 */
export function mt19937(seed: number): () => number {
  const N = 624;
  const M = 397;
  const mt = new Uint32Array(N);
  mt[0] = seed >>> 0;
  for (let i = 1; i < N; i++) {
    const prev = mt[i - 1]!;
    mt[i] = (Math.imul(1812433253, prev ^ (prev >>> 30)) + i) >>> 0;
  }
  let index = N;

  const twist = (): void => {
    for (let i = 0; i < N; i++) {
      const y = (mt[i]! & 0x80000000) | (mt[(i + 1) % N]! & 0x7fffffff);
      let next = mt[(i + M) % N]! ^ (y >>> 1);
      if (y & 1) next ^= 0x9908b0df;
      mt[i] = next >>> 0;
    }
    index = 0;
  };

  return () => {
    if (index >= N) twist();
    let y = mt[index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  };
}
