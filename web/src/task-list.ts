import type { Api } from "./api.js";
import { byId, el, show } from "./dom.js";
import type { TaskState } from "./types.js";

/**
 * This session's runs, newest first: each one's kind and state, with a button that shows a
 * finished run's results again (to compare the fits of two models, or to come back to a run
 * after closing the tab: the server keeps results for the session) or follows a run that is
 * still going.
 */
export class TaskList {
  private readonly list = byId("tasks", HTMLUListElement);

  constructor(
    private readonly api: Api,
    private readonly onShow: (state: TaskState) => void,
    private readonly onFollow: (id: string, kind: string) => void,
  ) {
    void this.load();
  }

  add(id: string, kind: string): void {
    show(byId("tasks-section", HTMLElement), true);
    this.list.prepend(this.item(id, kind, "queued"));
  }

  update(state: TaskState): void {
    const node = this.list.querySelector<HTMLElement>(`[data-task="${CSS.escape(state.id)}"]`);
    node?.replaceWith(this.item(state.id, state.kind, state.state));
  }

  /** Runs started earlier in this server session (from another tab, or before a reload). */
  private async load(): Promise<void> {
    try {
      const tasks = await this.api.get<{ id: string; kind: string; state: string }[]>("/api/tasks");
      const known = new Set([...this.list.children].map((li) => (li as HTMLElement).dataset.task));
      for (const t of tasks) {
        if (!known.has(t.id)) this.list.prepend(this.item(t.id, t.kind, t.state));
      }
      show(byId("tasks-section", HTMLElement), this.list.children.length > 0);
    } catch {
      // The list is a convenience: the page works without it.
    }
  }

  private item(id: string, kind: string, state: string): HTMLLIElement {
    let button: HTMLButtonElement | null = null;
    if (state === "done" || state === "cancelled") {
      button = el("button", { type: "button" }, "show");
      button.addEventListener("click", async () => {
        this.onShow(await this.api.get<TaskState>(`/api/tasks/${encodeURIComponent(id)}`));
      });
    } else if (state === "queued" || state === "running") {
      // A run started before this page was opened goes on on the server: follow it here.
      button = el("button", { type: "button" }, "follow");
      button.addEventListener("click", () => this.onFollow(id, kind));
    }
    return el("li", { "data-task": id }, `${kind} ${id}: ${state} `, button);
  }
}
