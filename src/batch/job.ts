import { BiogradError, type ErrorCode } from "../core/errors.js";

/**
 * The batch runner's vocabulary. A job is a key and a JSON request; its result is JSON too,
 * so a job can run in this thread, on a worker thread or (later) on another machine, and
 * its result can be kept in a journal line. The key names the job for resuming: two jobs
 * with the same key are the same job.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Job<Req = unknown> {
  key: string;
  request: Req;
}

/**
 * Where jobs run: this thread, a worker pool, a queue. `run` resolves with the job's result or
 * rejects with the error that stopped it; `concurrency` is how many jobs the runner keeps in
 * flight on it. The signal is for executors that can cancel a job in flight (a queue); the
 * worker pool ignores it (see pool-executor.ts). The caller that made an executor closes it.
 */
export interface JobExecutor<Req = unknown, Res = unknown> {
  readonly concurrency: number;
  run(job: Job<Req>, signal?: AbortSignal): Promise<Res>;
  close(): Promise<void>;
}

/** An error as data: what survives a thread or machine boundary. */
export interface JobErrorData {
  name: string;
  /** A BiogradError's code (bad input), or null for anything else. */
  code: string | null;
  message: string;
  stack: string;
}

export function errorData(error: unknown): JobErrorData {
  if (error instanceof JobError) return error.data;
  const e = error instanceof Error ? error : new Error(String(error));
  const code = (e as { code?: unknown }).code;
  return {
    name: e.name,
    code: typeof code === "string" ? code : null,
    message: e.message,
    stack: e.stack ?? "",
  };
}

/** An error that arrived as data (from a worker): rethrown by executors, keeps the data as is. */
export class JobError extends Error {
  readonly data: JobErrorData;
  constructor(data: JobErrorData) {
    super(data.message);
    this.name = data.name;
    this.data = data;
  }
}

/** What became of one job. */
export type JobOutcome<Res> =
  | {
      key: string;
      ok: true;
      result: Res /** Read from the journal, not run now. */;
      resumed: boolean;
    }
  | { key: string; ok: false; error: JobErrorData };

const BIOGRAD_CODES: readonly ErrorCode[] = [
  "invalid_option",
  "unknown_option",
  "non_finite_gradient",
  "bad_input",
  "shape_mismatch",
];

/** A job that failed under the `stop` rule: thrown by runJobs once the jobs in flight settle. */
export class JobFailure extends Error {
  readonly key: string;
  readonly error: JobErrorData;
  constructor(key: string, error: JobErrorData) {
    super(error.message);
    this.name = "JobFailure";
    this.key = key;
    this.error = error;
  }

  /**
   * The failure as the error a front end reports, prefixed with which job (`where`): a
   * BiogradError with the job's code (bad input: exit 2), else an internal error (exit 1)
   * carrying the job's stack.
   */
  toError(where: string): Error {
    const message = `${where}: ${this.error.message}`;
    const code = this.error.code as ErrorCode | null;
    if (code !== null && BIOGRAD_CODES.includes(code)) return new BiogradError(code, message);
    const error = new Error(message);
    error.stack = `${message}\n${this.error.stack}`;
    return error;
  }
}
