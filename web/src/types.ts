/**
 * The JSON the server sends, as docs/SERVE.md describes it (the contract between
 * src/serve/ and this page). Only the fields the page reads are typed.
 */

export interface ColumnInfo {
  name: string;
  type: "numeric" | "categorical" | "text";
  missing: number;
}

export interface Upload {
  id: string;
  name: string;
  rows: number;
  columns: ColumnInfo[];
  /** The first rows, every cell as text. */
  preview: string[][];
  problems: { message: string }[];
  sheets: string[] | null;
}

export type FormulaCheck =
  | { ok: true; parameters: string[]; variables: string[] }
  | { ok: false; message: string; position: number | null };

export interface ModelInfo {
  name: string;
  parameters: string[];
  variables: string[];
  formula: string;
  description: string;
}

export type TaskStateName = "queued" | "running" | "done" | "failed" | "cancelled";

export interface TaskProgress {
  done: number;
  total: number;
  loss?: number;
}

export interface TaskState {
  id: string;
  kind: string;
  state: TaskStateName;
  progress: TaskProgress | null;
  result: unknown;
  error: { message: string; field: string | null } | null;
  charts: Record<string, unknown> | null;
}

/** One thinned epoch of a training run (`event: history`). */
export interface HistoryPoint {
  epoch: number;
  loss: number;
  gradNorm: number;
  clippedNorm: number;
  clipped: number | boolean;
}

export interface ErrorBody {
  error: { message: string; field: string | null };
}
