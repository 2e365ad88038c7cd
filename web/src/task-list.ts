import type { Api } from "./api.js";
import { byId, el, show } from "./dom.js";
import type { TaskState } from "./types.js";

/**
 * This session's runs, newest first: each one's kind and state, and a button that shows its
 * results again — to compare the fits of two models side by side, or to come back to a run
 * after closing the tab (the server keeps results for the session).
 */
export class TaskList {
  private readonly list = byId("tasks", HTMLUListElement);

  constructor(
    private readonly api: Api,
    private readonly onShow: (state: TaskState) => void,
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
      for (const t of tasks) this.list.prepend(this.item(t.id, t.kind, t.state));
      show(byId("tasks-section", HTMLElement), tasks.length > 0);
    } catch {
      // The list is a convenience: the page works without it.
    }
  }

  private item(id: string, kind: string, state: string): HTMLLIElement {
    const button = el("button", { type: "button" }, "show");
    button.addEventListener("click", async () => {
      const full = await this.api.get<TaskState>(`/api/tasks/${encodeURIComponent(id)}`);
      if (full.state === "done") this.onShow(full);
    });
    return el(
      "li",
      { "data-task": id },
      `${kind} ${id}: ${state} `,
      state === "done" ? button : null,
    );
  }
}
