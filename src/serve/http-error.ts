import { BiogradError } from "../core/errors.js";

/** An API error with its status and the form field it belongs to (null: none in particular). */
export class HttpError extends Error {
  readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 429 | 500;
  readonly field: string | null;
  constructor(status: HttpError["status"], message: string, field: string | null = null) {
    super(message);
    this.name = "HttpError";
    this.status = status;
    this.field = field;
  }
}

/** The body of every API error: the one line the CLI would print, and the field it names. */
export function errorBody(message: string, field: string | null) {
  return { error: { message, field } };
}

/** Request fields a message can start with (the task layer's JSON labels, or a CLI option). */
const FIELDS = new Set([
  "x",
  "y",
  "group",
  "model",
  "models",
  "start",
  "bounds",
  "fix",
  "share",
  "constants",
  "weights",
  "grid",
  "epochs",
  "at",
  "split",
  "task",
]);

const SWEEP_GRID = new Set(["clip", "clip-kinds", "thresholds", "lr", "seeds", "optimizer"]);

/**
 * The form field a task-layer message is about, from its JSON path or label:
 * `request: x: …` → "x", `request: transform.clip.threshold: …` → "clip", `start: no start
 * value …` → "start", `formula:1:8: …` → "formula". A file's `no column "dose"` is about the
 * request field that named the column (from `request`); other file messages are about the
 * file. Null when nothing fits.
 */
export function fieldOf(message: string, request?: unknown): string | null {
  if (/^formula(:\d+:\d+)?: /.test(message)) return "formula";
  const path = /^(?:request: )?(?:--)?([A-Za-z_][\w-]*(?:\.[\w-]+|\[\d+\])*)(?::| )/.exec(
    message,
  )?.[1];
  if (path !== undefined) {
    const [head, next] = path.split(/[.[]/);
    // A sweep's grid is written in `biograd sweep`'s options, and its messages name them.
    if (message.startsWith("--") && head !== undefined && SWEEP_GRID.has(head)) return "grid";
    if (head === "transform" && next !== undefined) return next;
    if (head === "data") return "file";
    if (head !== undefined && FIELDS.has(head)) return head;
  }
  const column = /: no column "([^"]*)"/.exec(message)?.[1];
  if (column !== undefined) return columnField(column, request) ?? "file";
  if (/^[^:\s]+\.(csv|tsv|tab|txt|xlsx)[:\s]/i.test(message)) return "file";
  return path !== undefined && message.startsWith("request: ")
    ? (path.split(/[.[]/)[0] ?? null)
    : null;
}

/** Which request field named a column: y, x, group or weights. */
function columnField(column: string, request: unknown): string | null {
  if (typeof request !== "object" || request === null) return null;
  const r = request as Record<string, unknown>;
  const names = (v: unknown): string[] =>
    Array.isArray(v)
      ? v.map(String)
      : typeof v === "object" && v !== null
        ? Object.values(v).map(String)
        : typeof v === "string"
          ? [v]
          : [];
  for (const field of ["y", "x", "group", "weights"]) {
    if (names(r[field]).includes(column)) return field;
  }
  return null;
}

/** A task-layer error as an HttpError: bad input is a 400 naming its field; anything else a 500. */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof BiogradError)
    return new HttpError(400, error.message, fieldOf(error.message));
  return new HttpError(500, "internal error (see the server's terminal)");
}
