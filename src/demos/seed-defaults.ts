// The seed demo's defaults on their own: the CLI shows them in its --help text, and importing
// them from ./seed.ts loaded the trainer and its transforms into every command's process.
export const SEED_DEFAULTS = { lr: 0.01, clip: 0.1, iterations: 1000, seed: 42, logEvery: 100 };
