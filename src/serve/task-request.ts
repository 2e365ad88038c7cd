import { HttpError } from "./http-error.js";
import type { UploadName } from "./task-record.js";
import type { StoredUpload } from "./upload-store.js";

/** The task kinds the API runs (the task layer's, and `sweep`; `sweep-cell` is the sweep's own). */
export const API_KINDS = [
  "compare-models",
  "fit-curve",
  "fit-groups",
  "predict",
  "sweep",
  "train-linear",
  "train-network",
] as const;

export interface Translated {
  kind: string;
  request: Record<string, unknown>;
  uploads: UploadName[];
}

export interface TranslateContext {
  upload: (id: string) => StoredUpload | undefined;
  /** A finished task's saved model (what `/download/model.json` gives), for `predict`. */
  savedModel: (id: string) => unknown;
}

/**
 * A request from the page as a task-layer request: `data: { upload: "u_…" }` becomes the
 * private file path (`data: { file }`), and `predict`'s `model: { task: "t_…" }` the saved
 * model of that task. No path from the client is ever used: a `file` anywhere is refused.
 */
export function translateRequest(body: unknown, context: TranslateContext): Translated {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new HttpError(400, "request: expected a JSON object with a task");
  }
  const request = { ...(body as Record<string, unknown>) };
  const kind = request.task;
  if (typeof kind !== "string" || !(API_KINDS as readonly string[]).includes(kind)) {
    const got = kind === undefined ? "missing" : `got ${JSON.stringify(String(kind).slice(0, 40))}`;
    throw new HttpError(
      400,
      `request: task: ${got}; expected one of ${API_KINDS.join(", ")}`,
      "task",
    );
  }
  refuseFiles(request, "request");
  const uploads: UploadName[] = [];
  if (request.data !== undefined) {
    request.data = dataSource(request.data, context, uploads);
  }
  // A sweep's base request names its data the same way.
  if (kind === "sweep" && isObject(request.run) && request.run.data !== undefined) {
    request.run = {
      ...request.run,
      data: dataSource(request.run.data, context, uploads, "run.data"),
    };
  }
  if (kind === "predict" && isObject(request.model) && typeof request.model.task === "string") {
    request.model = { saved: context.savedModel(request.model.task) };
  }
  return { kind, request, uploads };
}

function dataSource(
  data: unknown,
  context: TranslateContext,
  uploads: UploadName[],
  path = "data",
): unknown {
  if (!isObject(data) || data.upload === undefined) return data;
  const { upload: id, ...rest } = data;
  const upload = typeof id === "string" ? context.upload(id) : undefined;
  if (upload === undefined) {
    throw new HttpError(
      400,
      `request: ${path}.upload: no upload ${JSON.stringify(String(id).slice(0, 40))} in this session; upload the file again`,
      "file",
    );
  }
  uploads.push({ path: upload.path, name: upload.name });
  return { file: upload.path, ...rest };
}

/** Any `file` key is a path chosen by the client: refused with its JSON path (a saved model is data). */
function refuseFiles(value: unknown, path: string): void {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) refuseFiles(v, `${path}[${i}]`);
    return;
  }
  if (!isObject(value)) return;
  for (const [key, v] of Object.entries(value)) {
    const at = `${path}.${key}`;
    if (key === "file") {
      throw new HttpError(
        400,
        `${at}: files on the server are not named by the page; upload the file and give { "upload": id }`,
        "file",
      );
    }
    if (key !== "saved") refuseFiles(v, at);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
