/**
 * The queue's names in Redis. BullMQ keeps its jobs under `bull:biograd:*`; biograd's own
 * keys sit beside them under `biograd:biograd:*`, so one Redis database holds one biograd
 * queue and `biograd queue clean` knows everything it has to remove.
 */
export const QUEUE_NAME = "biograd";
export const BULL_PREFIX = "bull";

export interface QueueKeys {
  /** Hash: job id → the result's JSON, written once (HSETNX). */
  results: string;
  /** Hash: job id → why the job failed for good (the dead-letter list), written once. */
  dead: string;
  /** Hash: worker id → its registration (version, host, pid, last heartbeat). */
  workers: string;
  /** Hash: `version` of the submitter that last enqueued. */
  meta: string;
  /** Prefix of payloads too large to travel inside a job (`…:payload:<job id>`). */
  payload: string;
}

export function queueKeys(name = QUEUE_NAME): QueueKeys {
  const base = `biograd:${name}`;
  return {
    results: `${base}:results`,
    dead: `${base}:dead`,
    workers: `${base}:workers`,
    meta: `${base}:meta`,
    payload: `${base}:payload:`,
  };
}
