import { Hono } from "hono";
import { checkFormulaRequest, modelList } from "./formula-check.js";
import { errorBody, HttpError, toHttpError } from "./http-error.js";
import { readBody, readJson } from "./read-body.js";
import { checkRequest } from "./request-check.js";
import { originChecks, securityHeaders, tokenCheck } from "./security.js";
import { staticFile } from "./static-files.js";
import { download } from "./task-downloads.js";
import { taskEvents } from "./task-events.js";
import { translateRequest } from "./task-request.js";
import type { TaskStore } from "./task-store.js";
import { type StoredUpload, UploadStore } from "./upload-store.js";
import { summarizeUpload } from "./upload-summary.js";

export interface AppContext {
  token: string;
  host: string;
  port: number;
  maxUploadBytes: number;
  maxRows: number;
  maxColumns: number;
  webRoot: string;
  uploads: UploadStore;
  tasks: TaskStore;
}

/** The routes of `biograd serve` (docs/SERVE.md): the page, and the JSON API behind the token. */
export function createApp(ctx: AppContext): Hono {
  const app = new Hono();
  app.use("*", securityHeaders());
  app.use("*", originChecks(ctx));
  app.use("/api/*", tokenCheck(ctx.token));

  app.onError((error, c) => {
    const e = toHttpError(error);
    if (e.status === 500) console.error(error);
    return c.json(errorBody(e.message, e.field), e.status);
  });
  app.notFound((c) => c.json(errorBody(`no such route: ${c.req.method} ${c.req.path}`, null), 404));

  app.post("/api/uploads", async (c) => {
    const name = UploadStore.displayName(c.req.header("x-filename"));
    const bytes = await readBody(c.req.raw, ctx.maxUploadBytes, name);
    const { id, path } = ctx.uploads.write(name, bytes);
    const sheet = c.req.query("sheet");
    let upload: StoredUpload;
    try {
      const summary = summarizeUpload(path, name, sheet, ctx);
      upload = { id, name, path, summary };
    } catch (e) {
      ctx.uploads.discard(path);
      throw e;
    }
    ctx.uploads.add(upload);
    return c.json(uploadView(upload), 201);
  });
  app.get("/api/uploads/:id", (c) => {
    const upload = ctx.uploads.get(c.req.param("id"));
    if (upload === undefined) throw new HttpError(404, "no such upload in this session", "file");
    return c.json(uploadView(upload));
  });

  app.get("/api/models", (c) => c.json(modelList()));
  app.post("/api/check/formula", async (c) =>
    c.json(checkFormulaRequest(await readJson(c.req.raw))),
  );

  app.post("/api/tasks", async (c) => {
    const body = await readJson(c.req.raw);
    const { kind, request, uploads } = translateRequest(body, {
      upload: (id) => ctx.uploads.get(id),
      savedModel: (id) => download(ctx.tasks.get(id), "model.json").json,
    });
    checkRequest(kind, request);
    const record = ctx.tasks.submit(kind, request, uploads, body);
    return c.json({ id: record.id }, 202);
  });
  app.get("/api/tasks", (c) => c.json(ctx.tasks.list()));
  app.get("/api/tasks/:id", (c) =>
    c.body(ctx.tasks.viewJson(ctx.tasks.get(c.req.param("id"))), 200, {
      "Content-Type": "application/json",
    }),
  );
  app.delete("/api/tasks/:id", (c) => {
    ctx.tasks.cancel(c.req.param("id"));
    return c.json({ id: c.req.param("id") }, 202);
  });
  app.get("/api/tasks/:id/events", (c) =>
    taskEvents(c, ctx.tasks, ctx.tasks.get(c.req.param("id"))),
  );
  app.get("/api/tasks/:id/download/:file", async (c) => {
    const file = download(ctx.tasks.get(c.req.param("id")), c.req.param("file"));
    const body = await file.body();
    return c.body(body, 200, {
      "Content-Type": file.type,
      "Content-Disposition": `attachment; filename="${file.name}"`,
    });
  });

  app.get("*", (c) => {
    const file = staticFile(ctx.webRoot, c.req.path);
    if (file === null) return c.text("not found", 404);
    const cache = file.immutable ? "public, max-age=31536000, immutable" : "no-cache";
    return c.body(file.body as string, 200, { "Content-Type": file.type, "Cache-Control": cache });
  });
  return app;
}

function uploadView(upload: StoredUpload) {
  return { id: upload.id, name: upload.name, ...upload.summary };
}
