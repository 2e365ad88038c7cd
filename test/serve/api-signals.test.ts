import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const MAIN = "dist/cli/main.js";
const temps: string[] = [];
afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** `biograd serve --port 0` with its own TMPDIR; resolves with the printed URL. */
function startServe(): Promise<{
  child: ChildProcess;
  url: URL;
  tmp: string;
  stderr: () => string;
}> {
  const tmp = mkdtempSync(join(tmpdir(), "biograd-serve-signal-"));
  temps.push(tmp);
  const child = spawn(process.execPath, [MAIN, "serve", "--port", "0"], {
    env: { ...process.env, TMPDIR: tmp },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stderr!.on("data", (d) => {
    err += d;
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (d) => {
      out += d;
      const m = /biograd serve: (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: new URL(m[1]!), tmp, stderr: () => err });
    });
    child.on("exit", (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));

describe("biograd serve: stopping", () => {
  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const) {
    it(`${signal} cancels a running task, removes the uploads and exits ${code}`, async () => {
      const { child, url, tmp, stderr } = await startServe();
      const token = url.searchParams.get("token")!;
      const api = (path: string, init: RequestInit = {}) =>
        fetch(new URL(path, url), {
          ...init,
          headers: { Authorization: `Bearer ${token}`, ...(init.headers ?? {}) },
        });
      const up = await api("/api/uploads", {
        method: "POST",
        headers: { "X-Filename": "linear3.csv" },
        body: readFileSync("examples/linear3.csv"),
      });
      const { id: upload } = await up.json();
      expect(readdirSync(tmp)).toHaveLength(1);
      const task = await api("/api/tasks", {
        method: "POST",
        body: JSON.stringify({
          task: "train-linear",
          data: { upload },
          x: ["x1", "x2", "x3"],
          y: "y",
          epochs: 100_000_000,
          transform: { optimizer: { name: "sgd", lr: 0.01 } },
        }),
      });
      const { id } = await task.json();
      for (;;) {
        const view = await (await api(`/api/tasks/${id}`)).json();
        if (view.progress !== null) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      // A page following the task: its stream must not hold the server open.
      const events = await api(`/api/tasks/${id}/events`);
      const ending = exited(child);
      child.kill(signal);
      expect(await ending).toBe(code);
      await events.text().catch(() => "");
      expect(stderr()).toContain(`biograd serve: stopped by ${signal}`);
      expect(readdirSync(tmp)).toEqual([]);
    });
  }
});
