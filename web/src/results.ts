import type { Api } from "./api.js";
import { drawChart } from "./charts.js";
import { byId, el, show } from "./dom.js";
import { flagsOf } from "./flags.js";
import { summaryOf } from "./summary.js";
import type { TaskState } from "./types.js";

/**
 * A finished task on the page: quality flags, the summary table, download links and every
 * chart the server built from the result (fit with bands and residuals, small multiples
 * for groups, training curves, the sweep's heat map). Charts are drawn one after another so
 * the first is visible while the others are still being laid out.
 */
const DOWNLOADS: Record<string, string[]> = {
  "fit-curve": ["results.csv", "result.json", "model.json", "report.html"],
  "fit-groups": ["results.csv", "result.json", "report.html"],
  "compare-models": ["results.csv", "result.json"],
  "train-linear": ["result.json", "model.json", "report.html"],
  "train-network": ["result.json", "model.json", "report.html"],
  sweep: ["results.csv", "result.json", "report.html"],
};

const CHART_TITLES: Record<string, string> = {
  fit: "Fit, bands and residuals",
  residuals: "Residuals",
  groups: "Groups",
  training: "Training",
  sweep: "Sweep",
};

export async function showResults(api: Api, state: TaskState): Promise<void> {
  const section = byId("results-section", HTMLElement);
  show(section, true);
  byId("flags", HTMLElement).replaceChildren(flagsOf(state.result));
  byId("summary", HTMLElement).replaceChildren(summaryOf(state.result));
  const files = DOWNLOADS[state.kind] ?? ["result.json"];
  byId("downloads", HTMLElement).replaceChildren(
    el("h3", {}, "Download"),
    el(
      "ul",
      {},
      ...files.map((file) =>
        el(
          "li",
          {},
          el(
            "a",
            {
              href: api.url(`/api/tasks/${encodeURIComponent(state.id)}/download/${file}`),
              download: file,
              "data-file": file,
            },
            file,
          ),
        ),
      ),
    ),
  );
  const charts = byId("charts", HTMLElement);
  charts.replaceChildren();
  for (const [name, spec] of Object.entries(state.charts ?? {})) {
    const box = el("div", { class: "chart", "data-chart": name });
    charts.append(el("figure", {}, el("figcaption", {}, CHART_TITLES[name] ?? name), box));
    try {
      await drawChart(box, spec);
    } catch (error) {
      box.replaceChildren(
        el("p", { class: "error" }, `This chart could not be drawn: ${(error as Error).message}`),
      );
    }
  }
  charts.dataset.ready = "true";
}
