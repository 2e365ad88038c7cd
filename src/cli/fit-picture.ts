// What `biograd fit --plot` needs, in one module that fit.ts loads only with --plot: the
// chart code is a large part of the modules a fit would otherwise load.
export { chartForResult } from "../report/result-chart.js";
export { checkPlot, writePlot } from "./plot-output.js";
