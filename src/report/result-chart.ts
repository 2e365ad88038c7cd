import { InputError } from "../core/errors.js";
import { parseWith } from "../core/schema.js";
import { readDataset } from "../data/csv.js";
import { readerOptions } from "../tasks/data-source.js";
import { applyLogX } from "../tasks/fit-curve-log-x.js";
import { JSON_LABELS } from "../tasks/fit-curve-request.js";
import { loadSavedFit } from "../tasks/saved-fit.js";
import { VERSION } from "../version.js";
import { curveFitSpec } from "./curve-fit-spec.js";
import type { FitDocument } from "./fit-band-model.js";
import { fitProfiles } from "./fit-profiles.js";
import { groupFitsChart } from "./group-fits-chart.js";
import { odeFitChart } from "./ode-fit-chart.js";
import { profileSpec } from "./profile-spec.js";
import {
  fitChartSchema,
  profiledFitSchema,
  sweepResultSchema,
  trainRunSchema,
} from "./result-schemas.js";
import { stackCharts } from "./stack-charts.js";
import { sweepSpec } from "./sweep-spec.js";
import { savedTensorNorms } from "./tensor-heat-strip.js";
import type { ChartSpec } from "./theme.js";
import { trainingSpec } from "./training-spec.js";

export type ResultKind = "curve-fit" | "group-fits" | "ode-fit" | "train" | "sweep";

/** Which chart a saved result gets: a fit (`fit --out`), a training run (`train --out`), a sweep (`sweep --out x.json`). */
export function resultKind(doc: unknown, where: string): ResultKind {
  const d = (typeof doc === "object" && doc !== null && !Array.isArray(doc) ? doc : {}) as Record<
    string,
    unknown
  >;
  if (d.kind === "curve-fit") return "curve-fit";
  if (d.kind === "group-fits") return "group-fits";
  if (d.kind === "ode-fit") return "ode-fit";
  if ((d.kind === "linear" && d.command === "train") || d.task === "train-network") return "train";
  if (d.command === "sweep") return "sweep";
  throw new InputError(
    `${where}: not a result biograd can plot (expected the --out of \`biograd fit\` (also with --group), \`biograd train\` or \`biograd sweep\` as .json)`,
  );
}

/**
 * The chart of a saved result, its fields checked by schema first (`where` names the file in
 * messages). A fit is drawn with the data it was fitted on, read again from the file its
 * request names (relative to the working directory, as it was given).
 */
export function chartForResult(doc: unknown, where: string): ChartSpec {
  const kind = resultKind(doc, where);
  checkVersion(doc as { biograd?: unknown }, where);
  if (kind === "train") {
    const run = parseWith(trainRunSchema, doc, where);
    const tensorNorms = savedTensorNorms(doc, run.history.epoch.length, where);
    return trainingSpec({ ...run.history, tensorNorms });
  }
  if (kind === "group-fits") return groupFitsChart(doc, where);
  if (kind === "ode-fit") return odeFitChart(doc, where);
  if (kind === "sweep") {
    const sweep = parseWith(sweepResultSchema, doc, where);
    return sweepSpec(sweep.runs, sweep.recommendation);
  }
  const saved = loadSavedFit(doc, where);
  const fit = parseWith(fitChartSchema, doc, where);
  const source = fit.settings.request.data;
  const column = saved.model.columns;
  if (column.length !== 1) {
    throw new InputError(
      `${where}: a curve chart needs a one-variable model; this one takes ${column.length} (${column.join(", ")})`,
    );
  }
  let data: ReturnType<typeof readDataset>;
  try {
    data = readDataset(source.file, {
      x: [column[0]!],
      y: saved.data.y,
      ...readerOptions(source),
    });
  } catch (e) {
    // The chart reads the fit's data again: say which file asked for them.
    if (!(e instanceof InputError)) throw e;
    throw new InputError(
      `${where}: settings.request.data.file: the data of the fit are needed to draw it: ${e.message}`,
    );
  }
  // `--x-log10`: the model takes log10 of the column, and so does its chart (in model units).
  const logged = fit.model.log10Columns?.includes(column[0]!) ?? false;
  const x = logged ? applyLogX(column, [data.x], column, LOG_LABELS)[0]! : data.x;
  const curveChart = curveFitSpec({ ...saved, ...fit } as unknown as FitDocument, x, data.y, {
    ...(logged ? { xTitle: `log10(${column[0]})` } : {}),
  });
  // A fit saved with `--ci profile` gets its profile-likelihood curves below.
  const profiled = parseWith(profiledFitSchema, doc, where);
  if (!profiled.result.profile) return curveChart;
  const { profiles, limits } = fitProfiles(profiled, where);
  return stackCharts(curveChart, profileSpec(profiles, limits));
}

const LOG_LABELS = { ...JSON_LABELS, logX: "model.log10Columns" };

function checkVersion(doc: { biograd?: unknown }, where: string): void {
  if (doc.biograd === undefined) return;
  const minor = (v: string) => v.split(".").slice(0, 2).join(".");
  if (typeof doc.biograd !== "string" || minor(doc.biograd) !== minor(VERSION)) {
    throw new InputError(
      `${where}: biograd: written by biograd ${String(doc.biograd).slice(0, 40)}, this is ${VERSION}; run it again with this version`,
    );
  }
}
