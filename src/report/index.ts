export { clippingDemoSpec, type GrowthChartData, type GrowthRun } from "./clipping-demo-spec.js";
export { type CurveFitSpecOptions, curveFitSpec } from "./curve-fit-spec.js";
export { type FitDocument, fittedCurve, savedBandModel } from "./fit-band-model.js";
export { type GroupFitsDocument, groupsSummarySpec } from "./groups-summary-spec.js";
export { escapeHtml, inlineSvg, type ReportPage, type ReportSection, reportHtml } from "./html.js";
export { drawChart, type PlotFormat, PNG_WIDTH, plotFormat } from "./plot-format.js";
export { FONT_FILE, type PngOptions, pngSize, renderPng, renderSvg } from "./render.js";
export { type ReportOptions, resultReport } from "./report-page.js";
export { resultSummary } from "./report-summary.js";
export { chartForResult, type ResultKind, resultKind } from "./result-chart.js";
export { type SeedCurve, seedComparisonSpec } from "./seed-spec.js";
export { type SweepRecommendationRow, type SweepRunRow, sweepSpec } from "./sweep-spec.js";
export {
  HEAT_COLUMNS,
  savedTensorNorms,
  type TensorNormColumns,
  tensorHeatStrip,
} from "./tensor-heat-strip.js";
export type { ChartSpec, DataRow } from "./theme.js";
export { type HistoryColumns, type TrainingSpecOptions, trainingSpec } from "./training-spec.js";
