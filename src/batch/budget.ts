/**
 * A cap on a batch's work, applied before anything runs: jobs are taken in order while their
 * summed cost stays within the limit, so the cut is known in advance and the same on every
 * rerun. Jobs a journal already holds count like any other (a resumed batch keeps its cut).
 */
export interface JobBudget<Req> {
  limit: number;
  /** What a job costs (default 1: the limit counts jobs). */
  cost?: (request: Req) => number;
}

/** How many jobs of the ordered list fit in the budget (a prefix of the list). */
export function budgetPrefix<Req>(
  requests: readonly Req[],
  budget: JobBudget<Req> | null | undefined,
): number {
  if (!budget) return requests.length;
  const cost = budget.cost ?? (() => 1);
  let used = 0;
  for (let i = 0; i < requests.length; i++) {
    used += cost(requests[i]!);
    if (used > budget.limit) return i;
  }
  return requests.length;
}
