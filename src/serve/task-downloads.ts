import { csvText } from "../io/csv-text.js";
import { failedReportText } from "../io/failed-report.js";
import { resultReport } from "../report/report-page.js";
import { compareCsv } from "../tasks/compare-csv.js";
import type { CompareModelsResult } from "../tasks/compare-models.js";
import type { FitGroupsResult } from "../tasks/fit-groups.js";
import { groupsCsv } from "../tasks/groups-csv.js";
import { linearRunDocument, runFinished } from "../tasks/linear-run-document.js";
import type { PredictResult } from "../tasks/predict.js";
import type { TrainLinearResult } from "../tasks/train-linear.js";
import type { TrainNetworkResult } from "../tasks/train-network.js";
import { HttpError } from "./http-error.js";
import { messageWithNames, type TaskRecord, withNames } from "./task-record.js";

export interface DownloadFile {
  name: string;
  type: string;
  body: () => Promise<string>;
  /** The document, for files that are JSON (private paths kept: for use inside the server). */
  json?: unknown;
}

const JSON_TYPE = "application/json; charset=utf-8";
const CSV_TYPE = "text/csv; charset=utf-8";

/**
 * A finished task's file, written by the same code as the CLI's outputs:
 * - `results.csv`: `fit --group … --out results.csv` (one row per group), `fit --residuals`
 *   (one curve: every row's fit; ask with `residuals: true`), `compare --out`, `predict --out`;
 * - `result.json`: what `--out x.json` saves (the fit document, the training run document);
 * - `model.json`: what `biograd predict` reads (a fit, a linear run, a network);
 * - `report.html`: what `biograd report` writes for result.json.
 * Private upload paths are replaced by the uploads' names in every file.
 */
export function download(record: TaskRecord, file: string): DownloadFile {
  if (record.result === null) {
    const why = record.state === "failed" ? "failed" : `is ${record.state}`;
    throw new HttpError(
      409,
      `task ${record.id} ${why}: it has no files${record.state === "failed" ? "" : " yet"}`,
    );
  }
  const named = (text: string) => messageWithNames(text, record.uploads);
  const jsonFile = (name: string, doc: unknown): DownloadFile => ({
    name,
    type: JSON_TYPE,
    json: doc,
    body: async () => failedReportText(withNames(doc, record.uploads)),
  });
  const csvFile = (text: string): DownloadFile => ({
    name: "results.csv",
    type: CSV_TYPE,
    body: async () => named(text),
  });
  const doc = resultDocument(record.kind, record.result);
  switch (file) {
    case "result.json":
      return jsonFile("result.json", doc);
    case "model.json": {
      const model = savedModel(record.kind, record.result, doc);
      if (model === null) throw new HttpError(404, `a ${record.kind} task has no model file`);
      return jsonFile("model.json", model);
    }
    case "results.csv": {
      const text = record.files["results.csv"] ?? resultsCsv(record.kind, record.result);
      if (text === null)
        throw new HttpError(
          404,
          `a ${record.kind} task has no results.csv${record.kind === "fit-curve" ? " (ask for it with residuals: true)" : ""}`,
        );
      return csvFile(text);
    }
    case "report.html":
      return {
        name: "report.html",
        type: "text/html; charset=utf-8",
        body: async () =>
          named(
            await resultReport(doc, {
              source: "result.json",
              command: `biograd serve (task ${record.id})`,
            }),
          ),
      };
    default:
      throw new HttpError(
        404,
        `no file ${JSON.stringify(file.slice(0, 40))}; expected results.csv, result.json, model.json or report.html`,
      );
  }
}

/** The task's result as the CLI saves it with `--out x.json`. */
function resultDocument(kind: string, result: unknown): unknown {
  if (kind === "fit-curve") {
    const { residuals: _, ...doc } = result as Record<string, unknown>;
    return doc;
  }
  if (kind === "train-linear") {
    const run = result as TrainLinearResult;
    return linearRunDocument(run.settings as unknown as Record<string, unknown>, run);
  }
  if (kind === "train-network") {
    const { network: _, ...rest } = result as TrainNetworkResult;
    return {
      ...rest,
      converged: runFinished(rest.stopReason),
      settings: rest.settings,
      request: rest.settings,
    };
  }
  return result;
}

function savedModel(kind: string, result: unknown, doc: unknown): unknown {
  if (kind === "fit-curve" || kind === "train-linear") return doc;
  if (kind === "train-network") return (result as TrainNetworkResult).network;
  return null;
}

function resultsCsv(kind: string, result: unknown): string | null {
  switch (kind) {
    case "fit-curve": {
      const rows = (
        result as { residuals?: { columns: string[]; rows: (string | number | null)[][] } }
      ).residuals;
      return rows === undefined ? null : csvText(rows.columns, rows.rows);
    }
    case "fit-groups":
      return groupsCsv(result as FitGroupsResult);
    case "compare-models":
      return compareCsv(result as CompareModelsResult);
    case "predict": {
      const p = result as PredictResult;
      return csvText(p.columns, p.rows);
    }
    default:
      return null;
  }
}
