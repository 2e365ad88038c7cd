export { aggregate, type SettingSummary } from "./aggregate.js";
export { type Budget, budgetCut, parseBudget, runCost } from "./budget.js";
export { executeRun } from "./execute.js";
export { type Grid, type GridText, parseClipList, parseGrid, parseSeeds } from "./grid.js";
export { type OptimizerGrid, parseOptimizerGrid } from "./grid-optimizer.js";
export { openSweepJournal, type SweepJournal, type SweepJournalEntry } from "./journal.js";
export { runRecordSchema, runSpecSchema } from "./journal-schema.js";
export { outFormat, sweepCsv, sweepJson } from "./output.js";
export { type Plan, type PlannedRun, planSweep, type Setting } from "./plan.js";
export { type Recommendation, recommend, WITHIN_FACTOR } from "./recommend.js";
export { type Divergence, divergence, EXPLODE_FACTOR, type RunRecord } from "./record.js";
export {
  type JournalInfo,
  type PreparedSweep,
  prepareSweep,
  type RunResult,
  runSweep,
  type SweepOptions,
  type SweepOutcome,
} from "./run.js";
export { canonicalJson, plannedEpochs, type RunSpec, runKey } from "./spec.js";
