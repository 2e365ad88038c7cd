import { fUpperTail } from "../stats/compare-f-distribution.js";

/**
 * The flat-curve decision P(F(d1, d2) ≥ F) > α without an incomplete beta function per curve:
 * the critical F of (d1, d2, α) is bracketed once, lo < F_crit ≤ hi with fUpperTail(lo) > α ≥
 * fUpperTail(hi) and hi/lo − 1 < 1e-10, by bisection on fUpperTail itself. The tail is
 * decreasing in F, so an F above hi·(1 + 1e-6) is not flat and one below lo·(1 − 1e-6) is;
 * only an F within that relative 1e-6 of the threshold — where the tail moves by ~1e-6
 * relative, far more than fUpperTail's rounding — is decided by fUpperTail(F) > α directly.
 * The answer is that of `fUpperTail(F, d1, d2) > alpha`, at a compare per curve of a run.
 */

const MARGIN = 1e-6;

interface Bracket {
  readonly d1: number;
  readonly d2: number;
  readonly alpha: number;
  readonly lo: number;
  readonly hi: number;
}

// A run's curves share a few (d1, d2); kept small, cleared when full.
const brackets: Bracket[] = [];
let last: Bracket | null = null;

export function isFlat(F: number, d1: number, d2: number, alpha: number): boolean {
  const b = bracketFor(d1, d2, alpha);
  if (b !== null) {
    if (F >= b.hi * (1 + MARGIN)) return false;
    if (F <= b.lo * (1 - MARGIN)) return true;
  }
  return fUpperTail(F, d1, d2) > alpha;
}

function bracketFor(d1: number, d2: number, alpha: number): Bracket | null {
  if (last !== null && last.d1 === d1 && last.d2 === d2 && last.alpha === alpha) return last;
  let found = brackets.find((b) => b.d1 === d1 && b.d2 === d2 && b.alpha === alpha) ?? null;
  if (found === null) {
    found = bisect(d1, d2, alpha);
    if (found === null) return null;
    if (brackets.length >= 64) brackets.length = 0;
    brackets.push(found);
  }
  last = found;
  return found;
}

/** The bracket, or null where the tail does not cross α in a usable way (then: exact). */
function bisect(d1: number, d2: number, alpha: number): Bracket | null {
  if (!(alpha > 0 && alpha < 1) || !(d1 > 0) || !(d2 > 0)) return null;
  if (!Number.isFinite(d1) || !Number.isFinite(d2)) return null;
  let lo = 0;
  let hi = 1;
  while (!(fUpperTail(hi, d1, d2) <= alpha)) {
    lo = hi;
    hi *= 2;
    if (hi > 1e300) return null;
  }
  for (let k = 0; k < 400 && !(lo > 0 && hi / lo - 1 < 1e-10); k++) {
    const mid = lo > 0 ? Math.sqrt(lo * hi) : hi / 2;
    if (fUpperTail(mid, d1, d2) <= alpha) hi = mid;
    else lo = mid;
  }
  return { d1, d2, alpha, lo, hi };
}

/**
 * The F test against the constant model, its p value computed when first read (a class: an
 * object literal with a getter cost more to build than the rest of the flags).
 */
export class ConstantModelTest {
  private p = Number.NaN;
  constructor(
    readonly tss: number,
    readonly F: number,
    private readonly d1: number,
    private readonly d2: number,
  ) {}

  get pValue(): number {
    if (Number.isNaN(this.p)) this.p = fUpperTail(this.F, this.d1, this.d2);
    return this.p;
  }
}
