import type { Api } from "./api.js";
import type { HistoryPoint, TaskProgress, TaskState } from "./types.js";

/**
 * Following a task by server-sent events (GET /api/tasks/:id/events?token=…): progress,
 * thinned training history, finished sweep cells, and the final state. A late subscriber is
 * sent the current state first, so the page can also reconnect to a task it started earlier.
 */
export interface FollowHandlers {
  progress(progress: TaskProgress): void;
  history(points: HistoryPoint[]): void;
  cell(cell: Record<string, unknown>): void;
  /** done, failed or cancelled: the task's full state. */
  end(state: TaskState): void;
  /** The connection was lost for good (the server stopped). */
  lost(): void;
}

export function follow(api: Api, id: string, on: FollowHandlers): () => void {
  const source = new EventSource(api.url(`/api/tasks/${encodeURIComponent(id)}/events`));
  let ended = false;
  const data = (event: Event): unknown => JSON.parse((event as MessageEvent<string>).data);
  source.addEventListener("progress", (e) => on.progress(data(e) as TaskProgress));
  source.addEventListener("history", (e) => {
    const value = data(e) as HistoryPoint | HistoryPoint[];
    on.history(Array.isArray(value) ? value : [value]);
  });
  source.addEventListener("cell", (e) => on.cell(data(e) as Record<string, unknown>));
  const finish = (e: Event) => {
    ended = true;
    source.close();
    on.end(data(e) as TaskState);
  };
  for (const name of ["done", "failed", "cancelled"]) source.addEventListener(name, finish);
  source.addEventListener("error", () => {
    // EventSource reconnects by itself; CLOSED means it gave up.
    if (!ended && source.readyState === EventSource.CLOSED) on.lost();
  });
  return () => {
    ended = true;
    source.close();
  };
}
