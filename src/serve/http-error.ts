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

/**
 * The form field a task-layer message is about, from its JSON path: `request: x: …` → "x",
 * `request: transform.clip.threshold: …` → "clip", `formula:1:8: …` → "formula". A file's
 * message (`plate.csv:7:3: …`) is about the file. Null when nothing fits.
 */
export function fieldOf(message: string): string | null {
  if (/^formula(:\d+:\d+)?: /.test(message)) return "formula";
  const path = /^request: ([A-Za-z_][\w]*(?:\.[\w]+|\[\d+\])*)(?::| )/.exec(message)?.[1];
  if (path === undefined)
    return /^[^:\s]+\.(csv|tsv|tab|txt|xlsx)[:\s]/i.test(message) ? "file" : null;
  const parts = path.split(/[.[]/);
  const [head, next] = parts;
  if (head === "transform" && next !== undefined) return next;
  if (head === "data") return "file";
  return head ?? null;
}

/** A task-layer error as an HttpError: bad input is a 400 naming its field; anything else a 500. */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof BiogradError)
    return new HttpError(400, error.message, fieldOf(error.message));
  return new HttpError(500, "internal error (see the server's terminal)");
}
