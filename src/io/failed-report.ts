/**
 * Where a failed run's diagnostics go instead of its output: beside it, never over it.
 * `fit.json` → `fit.failed.json`, `results.csv` → `results.csv.failed.json`.
 */
export function failedReportPath(output: string): string {
  return /\.json$/i.test(output)
    ? `${output.slice(0, -".json".length)}.failed.json`
    : `${output}.failed.json`;
}

/** A JSON document as `--out` files are written: one field a line, a final newline. */
export function failedReportText(doc: unknown): string {
  return `${JSON.stringify(doc, null, 1)}\n`;
}
