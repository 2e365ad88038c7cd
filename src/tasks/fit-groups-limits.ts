// The limits of a grouped fit's own fields in its schema (fit-groups-request.ts), in a module
// without zod, as fit-curve-limits.ts for the rest: `biograd fit --group` checks its own request
// against them without loading zod (src/cli/fit-groups-request-check.ts).

/** Longest group or shared parameter name. */
export const MAX_GROUP_NAME = 1000;
/** Most group columns (`--group a,b`). */
export const MAX_GROUP_COLUMNS = 20;
/** Most shared parameters (`--share`). */
export const MAX_SHARED = 1000;
