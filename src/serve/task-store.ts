import { randomBytes } from "node:crypto";
import type { JobErrorData } from "../batch/job.js";
import { fieldOf, HttpError } from "./http-error.js";
import { TaskPool } from "./task-pool.js";
import {
  addHistory,
  isFinished,
  messageWithNames,
  type TaskEvent,
  type TaskRecord,
  type UploadName,
  withNames,
} from "./task-record.js";
import type { FromWorker } from "./worker-messages.js";

/** Error codes of bad input (the task layer's InputError and kin): shown as they are. */
const INPUT_CODES = new Set([
  "invalid_option",
  "unknown_option",
  "bad_input",
  "shape_mismatch",
  "non_finite_gradient",
]);

export interface TaskStoreOptions {
  maxTasks: number;
  maxQueued: number;
  keepFinished: number;
  /** Where an internal error's stack goes (the server's terminal); the page gets one line. */
  onInternalError?: (id: string, error: JobErrorData) => void;
}

/**
 * The tasks of one server session: submitted to the pool, their reports kept and passed on to
 * subscribers (server-sent events). A task goes on when its page goes away; its result stays
 * until the server stops (or `keepFinished` newer tasks have finished).
 */
export class TaskStore {
  private readonly tasks = new Map<string, TaskRecord>();
  private readonly pool: TaskPool;

  constructor(private readonly options: TaskStoreOptions) {
    this.pool = new TaskPool(
      options.maxTasks,
      options.maxQueued,
      (m) => this.onMessage(m),
      (id) => this.onStart(id),
    );
  }

  submit(
    kind: string,
    request: unknown,
    uploads: UploadName[],
    asSent: unknown = request,
  ): TaskRecord {
    const id = `t_${randomBytes(12).toString("hex")}`;
    const record: TaskRecord = {
      id,
      kind,
      state: "queued",
      created: new Date().toISOString(),
      progress: null,
      result: null,
      files: {},
      error: null,
      history: [],
      cells: [],
      uploads,
      request: asSent,
      cancelRequested: false,
      listeners: new Set(),
      cache: {},
    };
    // Known before the pool starts it (it may start at once).
    this.tasks.set(id, record);
    try {
      this.pool.submit(id, request);
    } catch (e) {
      this.tasks.delete(id);
      throw e;
    }
    this.dropOldFinished();
    return record;
  }

  get(id: string): TaskRecord {
    const record = this.tasks.get(id);
    if (record === undefined)
      throw new HttpError(404, `no task ${JSON.stringify(id.slice(0, 40))} in this session`);
    return record;
  }

  list() {
    return [...this.tasks.values()].map(({ id, kind, state, created }) => ({
      id,
      kind,
      state,
      created,
    }));
  }

  /**
   * The task as the API shows it, as JSON text: its result and charts with upload names, not
   * paths. A finished task's text is made once and kept instead of its charts (a fit's charts
   * hold its data, bands and residuals: the text is the smallest form to keep).
   */
  viewJson(record: TaskRecord): string {
    if (record.cache.viewJson !== undefined) return record.cache.viewJson;
    const text = JSON.stringify({
      id: record.id,
      kind: record.kind,
      state: record.state,
      created: record.created,
      progress: record.progress,
      result: withNames(record.result, record.uploads),
      error: record.error,
      charts: withNames(record.cache.charts ?? null, record.uploads),
    });
    if (isFinished(record.state)) {
      record.cache.viewJson = text;
      record.cache.charts = undefined;
    }
    return text;
  }

  cancel(id: string): void {
    const record = this.get(id);
    if (isFinished(record.state)) return;
    record.cancelRequested = true;
    if (this.pool.cancel(id) === "queued") this.end(record, "cancelled");
  }

  /** Calls `listener` with every event of the task from now on; returns the unsubscribe. */
  subscribe(record: TaskRecord, listener: (event: TaskEvent) => void): () => void {
    record.listeners.add(listener);
    return () => record.listeners.delete(listener);
  }

  /** Cancels every task and ends the threads. */
  close(): Promise<void> {
    for (const record of this.tasks.values()) {
      if (!isFinished(record.state)) record.cancelRequested = true;
    }
    return this.pool.close();
  }

  private onStart(id: string): void {
    const record = this.tasks.get(id);
    if (record) record.state = "running";
  }

  private onMessage(m: FromWorker): void {
    const record = this.tasks.get(m.id);
    if (record === undefined) return;
    if (m.type === "progress") {
      record.progress = m.progress;
      this.emit(record, { event: "progress", data: m.progress });
    } else if (m.type === "history") {
      addHistory(record, m.points);
      for (const point of m.points) this.emit(record, { event: "history", data: point });
    } else if (m.type === "cell") {
      record.cells.push(m.cell);
      this.emit(record, { event: "cell", data: withNames(m.cell, record.uploads) });
    } else if (m.type === "done") {
      record.result = m.result;
      record.files = m.files;
      record.cache.charts = m.charts;
      this.end(record, record.cancelRequested || m.interrupted ? "cancelled" : "done");
    } else if (record.cancelRequested) {
      this.end(record, "cancelled");
    } else {
      const input = m.error.code !== null && INPUT_CODES.has(m.error.code);
      if (!input) this.options.onInternalError?.(record.id, m.error);
      const named = messageWithNames(m.error.message, record.uploads);
      const message = input ? named : `the task failed: ${named} (see the server's terminal)`;
      record.error = { message, field: input ? fieldOf(message, record.request) : null };
      this.end(record, "failed");
    }
  }

  private end(record: TaskRecord, state: "done" | "failed" | "cancelled"): void {
    record.state = state;
    this.emit(record, { event: state, data: this.viewJson(record), json: true });
    record.listeners.clear();
    this.dropOldFinished();
  }

  private emit(record: TaskRecord, event: TaskEvent): void {
    for (const listener of record.listeners) listener(event);
  }

  /** Keeps at most `keepFinished` finished tasks: the oldest go first. */
  private dropOldFinished(): void {
    const finished = [...this.tasks.values()].filter((t) => isFinished(t.state));
    for (const t of finished.slice(0, Math.max(0, finished.length - this.options.keepFinished))) {
      this.tasks.delete(t.id);
    }
  }
}
