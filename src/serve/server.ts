import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { JobErrorData } from "../batch/job.js";
import { InputError } from "../core/errors.js";
import { type AppContext, createApp } from "./app.js";
import { checkBind, DEFAULTS, hostForUrl, type ServeOptions } from "./options.js";
import { newToken } from "./security.js";
import { defaultWebRoot } from "./static-files.js";
import { TaskStore } from "./task-store.js";
import { UploadStore } from "./upload-store.js";

export interface RunningServer {
  /** The URL to open, token included. */
  url: string;
  /** The URL without the token. */
  origin: string;
  token: string;
  port: number;
  /** The private upload directory (removed by close). */
  uploadDir: string;
  /** The warning to print for a non-loopback bind, or null. */
  warning: string | null;
  /** Cancels running tasks, stops listening, removes the uploads. */
  close: () => Promise<void>;
}

export interface StartOptions extends Partial<ServeOptions> {
  /** An internal task error's details (the CLI prints them on stderr). */
  onInternalError?: (id: string, error: JobErrorData) => void;
}

/**
 * Starts `biograd serve`: checks the bind (loopback unless --host), makes the token and the
 * private upload directory, and listens. Port 0 picks a free port. Never prints.
 */
export async function startServer(given: StartOptions = {}): Promise<RunningServer> {
  const options: ServeOptions = { ...DEFAULTS, ...given };
  const warning = checkBind(options);
  const token = newToken();
  const uploads = new UploadStore();
  const tasks = new TaskStore({
    maxTasks: options.maxTasks,
    maxQueued: options.maxQueued,
    keepFinished: options.keepFinished,
    ...(given.onInternalError ? { onInternalError: given.onInternalError } : {}),
  });
  const ctx: AppContext = {
    token,
    host: options.host,
    port: options.port,
    maxUploadBytes: options.maxUploadBytes,
    maxRows: options.maxRows,
    maxColumns: options.maxColumns,
    webRoot: options.webRoot ?? defaultWebRoot(),
    uploads,
    tasks,
  };
  const app = createApp(ctx);
  let server: ReturnType<typeof serve>;
  try {
    server = await new Promise((resolve, reject) => {
      const s = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, () =>
        resolve(s),
      );
      s.once("error", reject);
    });
  } catch (e) {
    await tasks.close();
    uploads.remove();
    const code = (e as { code?: string }).code;
    if (code === "EADDRINUSE")
      throw new InputError(
        `--port ${options.port}: already in use (try another, or --port 0 for any free one)`,
      );
    if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND")
      throw new InputError(`--host ${options.host}: not an address of this machine`);
    if (code === "EACCES")
      throw new InputError(
        `--port ${options.port}: not allowed (ports below 1024 need privileges)`,
      );
    throw e;
  }
  ctx.port = (server.address() as AddressInfo).port;
  const origin = `http://${hostForUrl(options.host)}:${ctx.port}`;
  let closing: Promise<void> | null = null;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    port: ctx.port,
    uploadDir: uploads.dir,
    warning,
    close: () => {
      closing ??= (async () => {
        await tasks.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          // Open event streams would hold close() forever.
          (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        });
        uploads.remove();
      })();
      return closing;
    },
  };
}
