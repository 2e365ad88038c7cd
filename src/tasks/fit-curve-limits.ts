// The limits of a curve-fit request's schema (fit-curve-request.ts, data-source-schema.ts), in
// a module without zod: `biograd fit` checks its own request against them without loading zod
// (src/cli/fit-request-limits.ts), so the two must be the same numbers.

/** Longest column, parameter or sheet name. */
export const MAX_NAME = 1000;
/** Most names in a list or record (columns, starts, fixed values, constants). */
export const MAX_NAMES = 1000;
/** Longest model name or formula. */
export const MAX_MODEL = 10_000;
/** Most missing-value tokens (`--na`). */
export const MAX_NA_TOKENS = 100;
