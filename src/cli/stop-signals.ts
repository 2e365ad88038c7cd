/** The signals that stop a run, with the exit code each gives (128 + the signal's number). */
export const STOP_SIGNALS = { SIGINT: 130, SIGTERM: 143 } as const;
export type StopSignal = keyof typeof STOP_SIGNALS;
