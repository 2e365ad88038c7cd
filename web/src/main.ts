import "./style.css";
import { Api, ApiError, takeToken } from "./api.js";
import { ColumnChoice } from "./columns.js";
import { byId, el, show } from "./dom.js";
import { clearErrors, showError } from "./field-errors.js";
import { ModelChoice } from "./model-choice.js";
import { ParamsTable } from "./params.js";
import { buildRequest, type Mode, readConstants } from "./request.js";
import { showResults } from "./results.js";
import { runTask } from "./run-panel.js";
import { SweepMap } from "./sweep-map.js";
import { TaskList } from "./task-list.js";
import type { TaskState, Upload } from "./types.js";
import { setUpUpload } from "./upload.js";

/**
 * The page's wiring: token → API; upload → preview and column choices; model or formula →
 * parameters; the form → one task request → run panel → results. Each part lives in its
 * own module; this file only connects them.
 */
const token = takeToken();
if (token === null) {
  showError(
    null,
    "No access token: open the address that `biograd serve` printed (it ends in ?token=…).",
  );
} else {
  void start(new Api(token));
}

async function start(api: Api): Promise<void> {
  const columns = new ColumnChoice();
  const params = new ParamsTable();
  const model = new ModelChoice(
    api,
    (formula) => {
      // Constants are not parameters; a bad constants entry is reported when running.
      const constants = readConstants(true);
      return {
        x: formulaColumns(formula, columns.firstX()),
        ...(constants && Object.keys(constants).length > 0 ? { constants } : {}),
      };
    },
    (shape) => {
      columns.setVariables(shape.variables, shape.library);
      params.set(shape.parameters);
    },
  );
  const sweepMap = new SweepMap(byId("live-chart", HTMLElement));
  const ended = (state: TaskState) => {
    tasks.update(state);
    // A cancelled run keeps what it had (a fit's estimates where it stopped): shown too.
    if (state.state === "done" || (state.state === "cancelled" && state.result !== null))
      void showResults(api, state);
    else if (state.state === "failed" && state.error)
      showError(state.error.field, state.error.message);
  };
  const followTask = (id: string, kind: string) => {
    byId("results-section", HTMLElement).hidden = true;
    delete byId("charts", HTMLElement).dataset.ready;
    if (kind === "sweep") sweepMap.reset();
    return runTask(api, id, kind, { cell: (cell) => void sweepMap.add(cell), ended });
  };
  const tasks = new TaskList(
    api,
    (state) => {
      if (state.result !== null) void showResults(api, state);
    },
    (id, kind) => void followTask(id, kind),
  );
  let upload: Upload | null = null;

  setUpUpload(api, (u) => {
    upload = u;
    columns.setColumns(u.columns);
    model.recheck();
    show(byId("setup-section", HTMLElement), true);
  });
  byId("x-selects", HTMLElement).addEventListener("change", () => model.recheck());
  byId("constants", HTMLInputElement).addEventListener("input", () => model.recheck());
  byId("group", HTMLSelectElement).addEventListener("change", () =>
    params.setGrouped(columns.groups().length > 0),
  );

  const form = byId("task-form", HTMLFormElement);
  const mode = (): Mode => (new FormData(form).get("mode") as Mode | null) ?? "fit";
  const showMode = () => {
    const m = mode();
    show(byId("fit-fields", HTMLElement), m === "fit");
    show(byId("compare-fields", HTMLElement), m === "compare");
    show(byId("train-fields", HTMLElement), m === "train" || m === "sweep");
    show(byId("sweep-fields", HTMLElement), m === "sweep");
    show(byId("x-row", HTMLElement), m === "fit" || m === "compare");
    show(byId("group-row", HTMLElement), m === "fit" || m === "compare");
    show(byId("features-row", HTMLElement), m === "train" || m === "sweep");
  };
  form.addEventListener("change", (event) => {
    if ((event.target as HTMLInputElement).name === "mode") showMode();
  });
  showMode();

  try {
    await model.load();
  } catch (error) {
    showError(null, (error as Error).message);
  }
  fillCompareChoices(model);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (upload === null) return;
    clearErrors(["formula"]);
    const m = mode();
    const request = buildRequest(m, {
      upload: upload.id,
      columns,
      model,
      params,
      compared: () =>
        [...document.querySelectorAll<HTMLInputElement>("#compare-models input:checked")].map(
          (i) => i.value,
        ),
    });
    if (request === null) return;
    const button = byId("run", HTMLButtonElement);
    button.disabled = true;
    try {
      const { id } = await api.post<{ id: string }>("/api/tasks", request);
      const kind = String(request.task);
      tasks.add(id, kind);
      await followTask(id, kind);
    } catch (error) {
      if (error instanceof ApiError) showError(error.field, error.message);
      else showError(null, (error as Error).message);
    } finally {
      button.disabled = false;
    }
  });
}

/** The comparison offers the one-variable library models as checkboxes. */
function fillCompareChoices(model: ModelChoice): void {
  const box = byId("compare-models", HTMLElement);
  box.replaceChildren(
    ...model.models
      .filter((m) => m.variables.length === 1)
      .map((m) =>
        el(
          "label",
          {},
          el("input", { type: "checkbox", value: m.name, id: `compare-${m.name}` }),
          ` ${m.name}`,
        ),
      ),
  );
}

/**
 * How a formula names its predictor: by the column's name (`Vm*conc/(K+conc)`, x is then
 * the list of that column) or as `x` (`Vm*x/(K+x)`, x is then `{ x: column }`).
 */
function formulaColumns(formula: string, column: string): string[] | Record<string, string> {
  const names = new Set(formula.match(/[A-Za-z_][A-Za-z0-9_.]*/g) ?? []);
  return names.has(column) || !names.has("x") ? [column] : { x: column };
}
