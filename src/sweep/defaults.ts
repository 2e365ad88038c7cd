import { CLIP_FORMS } from "../transforms/spec-text.js";

// The sweep's defaults and grammar texts on their own: `biograd --help` and every command's
// registration need them, and importing them from the grid, recommend and record modules
// loaded those modules (and their imports) into every `biograd fit` (bench/startup/RESULTS.md).

export const CLIP_GRID_FORMS = `${CLIP_FORMS}, each with its settings (,option=value) as for train --clip`;
export const DEFAULT_CLIP_KINDS = "value,global-norm";
export const DEFAULT_THRESHOLDS = "0.01,0.1,1,10";

export const OPTIMIZER_GRID_FORMS =
  "sgd[,momentum=M][,nesterov] | adam[,b1=…][,b2=…][,eps=…] | adamw[,weight-decay=W]";

/** Default factor: a recommended setting's every run ends within 2× of the best run's loss. */
export const WITHIN_FACTOR = 2;

/** Default explosion factor: a last loss above 1000 × the initial loss counts as diverged. */
export const EXPLODE_FACTOR = 1e3;
