import { readFileSync } from "node:fs";
import { request } from "node:http";
import { type RunningServer, type StartOptions, startServer } from "../../src/serve/server.js";

/** A server on a free loopback port, and fetch with its token. */
export interface TestServer {
  server: RunningServer;
  /** fetch on the server's origin with the token header (override headers as needed). */
  api: (path: string, init?: RequestInit) => Promise<Response>;
  /** Uploads a file of the repository under `name`; returns the upload's JSON. */
  upload: (file: string, name?: string) => Promise<{ id: string; [k: string]: unknown }>;
  /** Submits a task; returns its id (throws on a non-202). */
  submit: (request: unknown) => Promise<string>;
  /** Polls until the task has finished; returns its GET object. */
  settle: (id: string) => Promise<TaskView>;
}

export interface TaskView {
  id: string;
  kind: string;
  state: string;
  progress: { done: number; total: number; loss?: number } | null;
  result: Record<string, unknown> | null;
  error: { message: string; field: string | null } | null;
  charts: Record<string, unknown> | null;
}

export async function testServer(options: StartOptions = {}): Promise<TestServer> {
  const server = await startServer({ port: 0, ...options });
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${server.origin}${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${server.token}`, ...(init.headers ?? {}) },
    });
  const upload = async (file: string, name = file.split("/").pop()!) => {
    const response = await api("/api/uploads", {
      method: "POST",
      headers: { "X-Filename": name },
      body: readFileSync(file),
    });
    if (response.status !== 201)
      throw new Error(`upload ${response.status}: ${await response.text()}`);
    return (await response.json()) as { id: string };
  };
  const submit = async (request: unknown) => {
    const response = await api("/api/tasks", { method: "POST", body: JSON.stringify(request) });
    if (response.status !== 202)
      throw new Error(`submit ${response.status}: ${await response.text()}`);
    return ((await response.json()) as { id: string }).id;
  };
  const settle = async (id: string) => {
    for (;;) {
      const view = (await (await api(`/api/tasks/${id}`)).json()) as TaskView;
      if (!["queued", "running"].includes(view.state)) return view;
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { server, api, upload, submit, settle };
}

/** Reads a server-sent event stream to its end: the events in order. */
export async function readEvents(response: Response): Promise<{ event: string; data: unknown }[]> {
  const text = await response.text();
  const events: { event: string; data: unknown }[] = [];
  for (const block of text.split("\n\n")) {
    const event = /^event: (.*)$/m.exec(block)?.[1];
    const data = /^data: (.*)$/m.exec(block)?.[1];
    if (event !== undefined && data !== undefined) events.push({ event, data: JSON.parse(data) });
  }
  return events;
}

/** One HTTP request with exactly the headers given (Host included), for the security checks. */
export function rawRequest(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: Buffer },
): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        method: options.method ?? "GET",
        path: options.path,
        headers: options.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}
