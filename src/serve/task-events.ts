import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import { isFinished, type TaskEvent, type TaskRecord, withNames } from "./task-record.js";
import type { TaskStore } from "./task-store.js";

/** A comment line this often keeps proxies and browsers from timing the stream out. */
const KEEPALIVE_MS = 15_000;

/**
 * `GET /api/tasks/:id/events`: the task's server-sent events. A late subscriber first gets the
 * state so far (the last progress, the history and cells kept), then live events; the stream
 * ends after `done`, `failed` or `cancelled`. Closing it does not touch the task.
 */
export function taskEvents(c: Context, store: TaskStore, record: TaskRecord): Response {
  return streamSSE(c, async (stream) => {
    const send = (e: TaskEvent) =>
      stream.writeSSE({
        event: e.event,
        data: e.json ? (e.data as string) : JSON.stringify(e.data),
      });
    // The backlog is taken in the same tick as the subscription: nothing is sent twice.
    const backlog = backlogOf(record);
    if (isFinished(record.state)) {
      for (const e of backlog) await send(e);
      await send({
        event: record.state as TaskEvent["event"],
        data: store.viewJson(record),
        json: true,
      });
      return;
    }
    // Events that arrive while the backlog is written wait in order behind it.
    const pending: TaskEvent[] = [];
    let wake: (() => void) | null = null;
    let ended = false;
    const unsubscribe = store.subscribe(record, (e) => {
      pending.push(e);
      wake?.();
    });
    stream.onAbort(() => {
      ended = true;
      wake?.();
    });
    const keepalive = setInterval(() => void stream.write(": keepalive\n\n"), KEEPALIVE_MS);
    try {
      for (const e of backlog) await send(e);
      while (!ended) {
        const e = pending.shift();
        if (e === undefined) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = null;
          continue;
        }
        await send(e);
        if (e.event === "done" || e.event === "failed" || e.event === "cancelled") ended = true;
      }
    } finally {
      clearInterval(keepalive);
      unsubscribe();
    }
  });
}

function backlogOf(record: TaskRecord): TaskEvent[] {
  const events: TaskEvent[] = [];
  if (record.progress !== null) events.push({ event: "progress", data: record.progress });
  for (const point of record.history) events.push({ event: "history", data: point });
  for (const cell of record.cells)
    events.push({ event: "cell", data: withNames(cell, record.uploads) });
  return events;
}
