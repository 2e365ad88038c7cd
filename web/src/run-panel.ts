import type { Api } from "./api.js";
import { byId, show } from "./dom.js";
import { follow } from "./follow.js";
import { type LiveChart, liveChart } from "./live-chart.js";
import type { TaskState } from "./types.js";

/**
 * The run panel of one task: its state in words, a progress bar, a cancel button, and for
 * training the live loss and gradient-norm chart. Closing the page does not stop the task
 * (it runs on the server); cancelling does, at its next step.
 */
export interface RunHooks {
  /** The task ended (done, failed or cancelled), with its full state. */
  ended(state: TaskState): void;
  /** A finished sweep cell (for the heat map). */
  cell?(cell: Record<string, unknown>): void;
}

/** The panel shows one run: following another detaches the previous one (it runs on). */
let detach: (() => void) | null = null;

export async function runTask(api: Api, id: string, kind: string, hooks: RunHooks): Promise<void> {
  detach?.();
  const status = byId("status", HTMLElement);
  const progress = byId("progress", HTMLProgressElement);
  const cancel = byId("cancel", HTMLButtonElement);
  const chartBox = byId("live-chart", HTMLElement);
  show(byId("run-section", HTMLElement), true);
  status.textContent = `${kind} ${id}: queued`;
  progress.removeAttribute("value");
  cancel.hidden = false;
  cancel.disabled = false;
  chartBox.replaceChildren();
  delete chartBox.dataset.epochs;
  const training = kind === "train-linear" || kind === "train-network";
  const chart: LiveChart | null = training ? await liveChart(chartBox) : null;

  const onCancel = async () => {
    cancel.disabled = true;
    status.textContent = `${kind} ${id}: stopping…`;
    try {
      await api.remove(`/api/tasks/${encodeURIComponent(id)}`);
    } catch (error) {
      status.textContent = (error as Error).message;
    }
  };
  cancel.addEventListener("click", onCancel);

  let stop = () => {};
  detach = () => {
    stop();
    cancel.removeEventListener("click", onCancel);
    chart?.finalize();
  };
  stop = follow(api, id, {
    progress(p) {
      progress.max = Math.max(1, p.total);
      progress.value = p.done;
      const loss = p.loss === undefined ? "" : `, loss ${p.loss.toPrecision(4)}`;
      status.textContent = `${kind} ${id}: running, ${p.done} of ${p.total}${loss}`;
    },
    history(batch) {
      chart?.add(batch);
    },
    cell(cell) {
      hooks.cell?.(cell);
    },
    async end() {
      cancel.removeEventListener("click", onCancel);
      detach = null;
      cancel.hidden = true;
      // The end event carries the state; the GET has it whole (result and charts).
      const state = await api.get<TaskState>(`/api/tasks/${encodeURIComponent(id)}`);
      progress.max = 1;
      progress.value = state.state === "done" ? 1 : 0;
      status.textContent =
        state.state === "failed"
          ? `${kind} ${id}: failed: ${state.error?.message ?? "no reason given"}`
          : `${kind} ${id}: ${state.state}`;
      hooks.ended(state);
    },
    lost() {
      status.textContent = `${kind} ${id}: the connection to the server was lost`;
      cancel.hidden = true;
      stop();
    },
  });
}
