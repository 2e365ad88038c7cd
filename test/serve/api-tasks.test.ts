import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEvents, type TestServer, testServer } from "./api-helpers.js";

let t: TestServer;
let upload: string;

beforeAll(async () => {
  t = await testServer({ maxTasks: 1, maxQueued: 1 });
  upload = (await t.upload("examples/linear3.csv")).id;
});
afterAll(() => t.server.close());

const training = (epochs: number) => ({
  task: "train-linear",
  data: { upload },
  x: ["x1", "x2", "x3"],
  y: "y",
  epochs,
  transform: { clip: { kind: "global-norm", threshold: 1 }, optimizer: { name: "sgd", lr: 0.01 } },
});

const waitFor = async (id: string, state: string) => {
  for (;;) {
    const view = await (await t.api(`/api/tasks/${id}`)).json();
    if (view.state === state) return view;
    await new Promise((r) => setTimeout(r, 10));
  }
};

const waitForProgress = async (id: string) => {
  for (;;) {
    const view = await (await t.api(`/api/tasks/${id}`)).json();
    if (view.progress !== null) return view;
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe("biograd serve: tasks run off the request thread", () => {
  it("streams progress, a thinned history and done over server-sent events", async () => {
    const id = await t.submit(training(20_000));
    const events = await readEvents(await t.api(`/api/tasks/${id}/events`));
    const names = events.map((e) => e.event);
    expect(names.at(-1)).toBe("done");
    expect(names).toContain("progress");
    const history = events
      .filter((e) => e.event === "history")
      .map((e) => e.data as Record<string, number>);
    expect(history.length).toBeGreaterThan(0);
    expect(Object.keys(history[0]!).sort()).toEqual([
      "clipped",
      "clippedNorm",
      "epoch",
      "gradNorm",
      "loss",
    ]);
    // Thinned: far fewer points than epochs, in epoch order.
    expect(history.length).toBeLessThan(20_000);
    for (let i = 1; i < history.length; i++)
      expect(history[i]!.epoch!).toBeGreaterThan(history[i - 1]!.epoch!);
    const done = events.at(-1)!.data as {
      state: string;
      result: { stopReason: string };
      charts: object;
    };
    expect(done.state).toBe("done");
    expect(done.result.stopReason).toBe("max-epochs");
    expect(Object.keys(done.charts)).toEqual(["training"]);
    // A late subscriber gets the state so far, then the end.
    const late = await readEvents(await t.api(`/api/tasks/${id}/events`));
    expect(late.at(-1)!.event).toBe("done");
    expect(late.filter((e) => e.event === "history").length).toBe(history.length);
  });

  it("answers while a long training runs, and cancels it at its next epoch", async () => {
    const id = await t.submit(training(50_000_000));
    await waitFor(id, "running");
    // "Running" means handed to a thread, which may still be loading the task; the promise
    // under test is about a run in its epochs, so wait for its first progress report.
    await waitForProgress(id);
    const started = performance.now();
    expect((await t.api("/api/models")).status).toBe(200);
    expect(performance.now() - started).toBeLessThan(1000);
    const del = await t.api(`/api/tasks/${id}`, { method: "DELETE" });
    expect(del.status).toBe(202);
    const view = await t.settle(id);
    expect(view.state).toBe("cancelled");
    expect((view.result as { stopReason: string }).stopReason).toBe("interrupted");
    // Its downloads are those of the run so far.
    expect((await t.api(`/api/tasks/${id}/download/model.json`)).status).toBe(200);
  });

  it("keeps running when the page's event stream closes, and keeps the result", async () => {
    const id = await t.submit(training(30_000));
    const controller = new AbortController();
    const stream = await t.api(`/api/tasks/${id}/events`, { signal: controller.signal });
    const reader = stream.body!.getReader();
    await reader.read();
    controller.abort();
    const view = await t.settle(id);
    expect(view.state).toBe("done");
    expect((await t.api("/api/tasks")).status).toBe(200);
    const list = await (await t.api("/api/tasks")).json();
    expect(list.some((x: { id: string; state: string }) => x.id === id && x.state === "done")).toBe(
      true,
    );
  });

  it("queues past --max-tasks, refuses with 429 past the queue, and cancels a queued task", async () => {
    const running = await t.submit(training(50_000_000));
    await waitFor(running, "running");
    const queued = await t.submit(training(10));
    expect((await (await t.api(`/api/tasks/${queued}`)).json()).state).toBe("queued");
    const refused = await t.api("/api/tasks", {
      method: "POST",
      body: JSON.stringify(training(10)),
    });
    expect(refused.status).toBe(429);
    expect((await refused.json()).error.message).toMatch(/--max-tasks/);
    await t.api(`/api/tasks/${queued}`, { method: "DELETE" });
    expect((await t.settle(queued)).state).toBe("cancelled");
    await t.api(`/api/tasks/${running}`, { method: "DELETE" });
    expect((await t.settle(running)).state).toBe("cancelled");
    expect((await t.api(`/api/tasks/${queued}/download/result.json`)).status).toBe(409);
  });

  it("runs a sweep cell by cell, sending each finished cell, with the sweep's chart and CSV", async () => {
    const id = await t.submit({
      task: "sweep",
      run: training(50),
      grid: { clipKinds: "global-norm", thresholds: "0.1,1", lr: "0.01,0.1", seeds: "2" },
    });
    const events = await readEvents(await t.api(`/api/tasks/${id}/events`));
    const cells = events
      .filter((e) => e.event === "cell")
      .map((e) => e.data as Record<string, unknown>);
    // (none, 0.1, 1) × 2 rates × 2 seeds.
    expect(cells.length).toBe(12);
    expect(cells[0]).toHaveProperty("finalLoss");
    expect(cells[0]).toHaveProperty("setting");
    const done = events.at(-1)!;
    expect(done.event).toBe("done");
    const view = done.data as { result: { command: string; runs: unknown[] }; charts: object };
    expect(view.result.command).toBe("sweep");
    expect(view.result.runs.length).toBe(12);
    expect(Object.keys(view.charts)).toEqual(["sweep"]);
    const csv = await (await t.api(`/api/tasks/${id}/download/results.csv`)).text();
    expect(csv.split("\n")[0]).toMatch(/^key,setting,clip,threshold,lr,seed/);
    expect(csv.trim().split("\n").length).toBe(13);
  });

  it("404s an unknown task and 409s the files of one that has not finished", async () => {
    expect((await t.api("/api/tasks/t_nope")).status).toBe(404);
    const id = await t.submit(training(50_000_000));
    expect((await t.api(`/api/tasks/${id}/download/results.csv`)).status).toBe(409);
    await t.api(`/api/tasks/${id}`, { method: "DELETE" });
    await t.settle(id);
  });
});
