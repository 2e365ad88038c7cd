import { Worker } from "node:worker_threads";
import { builtModule } from "../batch/built-module.js";
import { HttpError } from "./http-error.js";
import type { FromWorker, ToWorker } from "./worker-messages.js";

/** How long a cancelled task may take to reach its next step before its thread is ended. */
export const CANCEL_GRACE_MS = 3000;

interface Slot {
  worker: Worker;
  flag: Int32Array;
  /** The task it runs, or null when idle. */
  task: string | null;
  killTimer: NodeJS.Timeout | null;
}

/**
 * At most `size` tasks run at once, each on its own long-lived worker thread (module loading
 * is paid once per thread); up to `maxQueued` more wait in order, and a submission beyond
 * that is refused with 429. Everything a task reports comes back through `onMessage`; a
 * thread that dies (or is ended because a cancelled task did not stop) reports its task as
 * failed and is replaced.
 */
export class TaskPool {
  private readonly slots: Slot[] = [];
  private readonly queue: { id: string; request: unknown }[] = [];
  private closed = false;

  constructor(
    private readonly size: number,
    private readonly maxQueued: number,
    private readonly onMessage: (message: FromWorker) => void,
    private readonly onStart: (id: string) => void,
  ) {}

  submit(id: string, request: unknown): void {
    if (this.closed) throw new HttpError(409, "the server is stopping");
    if (this.queue.length >= this.maxQueued) {
      throw new HttpError(
        429,
        `${this.size} tasks are running and ${this.queue.length} waiting; try again when some have finished (biograd serve --max-tasks)`,
      );
    }
    this.queue.push({ id, request });
    this.dispatch();
  }

  /** Stops a task: removed from the queue ("queued"), or signalled ("running"); null if unknown. */
  cancel(id: string): "queued" | "running" | null {
    const k = this.queue.findIndex((q) => q.id === id);
    if (k >= 0) {
      this.queue.splice(k, 1);
      return "queued";
    }
    const slot = this.slots.find((s) => s.task === id);
    if (slot === undefined) return null;
    Atomics.store(slot.flag, 0, 1);
    slot.worker.postMessage({ type: "cancel", id } satisfies ToWorker);
    slot.killTimer ??= setTimeout(() => this.kill(slot), CANCEL_GRACE_MS);
    return "running";
  }

  get running(): number {
    return this.slots.filter((s) => s.task !== null).length;
  }

  /** Cancels everything, waits up to `graceMs` for running tasks to stop, then ends the threads. */
  async close(graceMs = CANCEL_GRACE_MS): Promise<void> {
    this.closed = true;
    this.queue.length = 0;
    for (const slot of this.slots) if (slot.task !== null) this.cancel(slot.task);
    const deadline = Date.now() + graceMs;
    while (this.running > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await Promise.all(
      this.slots.map((s) => {
        if (s.killTimer) clearTimeout(s.killTimer);
        return s.worker.terminate();
      }),
    );
    this.slots.length = 0;
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.task === null);
      if (slot === undefined && this.slots.length < this.size) slot = this.spawn();
      if (slot === undefined) return;
      const next = this.queue.shift()!;
      slot.task = next.id;
      this.onStart(next.id);
      slot.worker.postMessage({
        type: "run",
        id: next.id,
        request: next.request,
      } satisfies ToWorker);
    }
  }

  private spawn(): Slot {
    const flag = new SharedArrayBuffer(4);
    const url = builtModule(new URL("./task-worker.js", import.meta.url));
    const worker = new Worker(url, { workerData: { flag } });
    const slot: Slot = { worker, flag: new Int32Array(flag), task: null, killTimer: null };
    worker.on("message", (m: FromWorker) => {
      if ((m.type === "done" || m.type === "failed") && slot.task === m.id) this.finish(slot);
      this.onMessage(m);
      if (m.type === "done" || m.type === "failed") this.dispatch();
    });
    worker.on("error", (error) => this.lost(slot, error.message));
    worker.on("exit", () => this.lost(slot, "the task's thread ended"));
    // An idle thread must not keep the process alive.
    worker.unref();
    this.slots.push(slot);
    return slot;
  }

  private finish(slot: Slot): void {
    slot.task = null;
    if (slot.killTimer) clearTimeout(slot.killTimer);
    slot.killTimer = null;
  }

  private kill(slot: Slot): void {
    slot.killTimer = null;
    void slot.worker.terminate();
  }

  /** A thread that died: its task failed (or was cancelled), and the thread is replaced. */
  private lost(slot: Slot, why: string): void {
    const k = this.slots.indexOf(slot);
    if (k < 0) return;
    this.slots.splice(k, 1);
    const id = slot.task;
    this.finish(slot);
    if (id !== null) {
      this.onMessage({
        type: "failed",
        id,
        error: { name: "Error", code: null, message: why, stack: "" },
      });
    }
    if (!this.closed) this.dispatch();
  }
}
