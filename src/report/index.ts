export { type CurveFitSpecOptions, curveFitSpec } from "./curve-fit-spec.js";
export { type FitDocument, fittedCurve, savedBandModel } from "./fit-band-model.js";
export { drawChart, type PlotFormat, PNG_WIDTH, plotFormat } from "./plot-format.js";
export { FONT_FILE, type PngOptions, pngSize, renderPng, renderSvg } from "./render.js";
export { chartForResult, type ResultKind, resultKind } from "./result-chart.js";
export { type SeedCurve, seedComparisonSpec } from "./seed-spec.js";
export { type SweepRecommendationRow, type SweepRunRow, sweepSpec } from "./sweep-spec.js";
export type { ChartSpec, DataRow } from "./theme.js";
export { type HistoryColumns, type TrainingSpecOptions, trainingSpec } from "./training-spec.js";
