import type { TaskProgress } from "../tasks/types.js";
import type { HistoryPoint } from "./worker-messages.js";

export type TaskState = "queued" | "running" | "done" | "failed" | "cancelled";

/** What the page is sent as an event: its name and its JSON data. */
export interface TaskEvent {
  event: "progress" | "history" | "cell" | "done" | "failed" | "cancelled";
  data: unknown;
  /** `data` is JSON text already. */
  json?: boolean;
}

/** The uploads a task reads, to show their names (never their private paths) in its output. */
export interface UploadName {
  path: string;
  name: string;
}

/** One task of this server session. */
export interface TaskRecord {
  id: string;
  kind: string;
  state: TaskState;
  created: string;
  progress: TaskProgress | null;
  /** The result as the task returned it (private paths included: charts read the data again). */
  result: unknown;
  /** Files only the worker could write (a sweep's results.csv), by name. */
  files: Record<string, string>;
  error: { message: string; field: string | null } | null;
  /** A training run's thinned loss and gradient-norm history (for late subscribers). */
  history: HistoryPoint[];
  /** A sweep's finished cells, in completion order. */
  cells: unknown[];
  uploads: UploadName[];
  /** The request as the page sent it (to tell which field a message is about). */
  request: unknown;
  cancelRequested: boolean;
  listeners: Set<(event: TaskEvent) => void>;
  /** Computed once on first request. */
  cache: { viewJson?: string; charts?: Record<string, unknown> | null };
}

/** History points kept per task; past this every other point is dropped (the stream is thinned). */
export const MAX_HISTORY = 2000;

export function addHistory(record: TaskRecord, points: readonly HistoryPoint[]): void {
  record.history.push(...points);
  if (record.history.length > MAX_HISTORY) {
    record.history = record.history.filter(
      (_, i) => i % 2 === 0 || i === record.history.length - 1,
    );
  }
}

export function isFinished(state: TaskState): boolean {
  return state === "done" || state === "failed" || state === "cancelled";
}

/** Private upload paths in any JSON value replaced by the uploads' names. */
export function withNames<T>(value: T, uploads: readonly UploadName[]): T {
  if (value === null || value === undefined || uploads.length === 0) return value;
  let text = JSON.stringify(value);
  for (const { path, name } of uploads) {
    text = text.split(JSON.stringify(path).slice(1, -1)).join(JSON.stringify(name).slice(1, -1));
  }
  return JSON.parse(text) as T;
}

/** A message with the private upload paths replaced by the uploads' names. */
export function messageWithNames(message: string, uploads: readonly UploadName[]): string {
  let text = message;
  for (const { path, name } of uploads) text = text.split(path).join(name);
  return text;
}
