import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";

/** The tests need a redis-server binary (Debian: apt-get install redis-server; CI installs it). */
export const REDIS_SERVER = (() => {
  const r = spawnSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : undefined;
})();
export const MAIN = new URL("../../dist/cli/main.js", import.meta.url).pathname;
export const CAN_RUN = REDIS_SERVER !== undefined && existsSync(MAIN);
export const SKIP_REASON =
  REDIS_SERVER === undefined
    ? "redis-server not found: install it (apt-get install redis-server) to run the queue tests"
    : "dist/ not built: npm run build";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A private redis-server for one test file: a free port, no RDB snapshots, AOF on with an
 * fsync per write (so a restart loses nothing that was acknowledged), data in a temp dir.
 */
export async function startRedis() {
  const dir = mkdtempSync(join(tmpdir(), "biograd-redis-"));
  const port = await freePort();
  let proc: ChildProcess | null = null;
  const up = async () => {
    proc = spawn(
      REDIS_SERVER!,
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "yes",
        "--appendfsync",
        "always",
        "--dir",
        dir,
      ],
      { stdio: "ignore" },
    );
    const probe = new Redis({
      port,
      host: "127.0.0.1",
      lazyConnect: true,
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
    });
    probe.on("error", () => {});
    for (let i = 0; i < 100; i++) {
      try {
        await probe.connect();
        await probe.ping();
        probe.disconnect();
        return;
      } catch {
        await sleep(50);
      }
    }
    throw new Error(`redis-server on port ${port} did not start`);
  };
  const down = async (signal: NodeJS.Signals = "SIGTERM") => {
    const p = proc;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once("exit", r));
    p.kill(signal);
    await exited;
  };
  await up();
  const client = new Redis({ port, host: "127.0.0.1", maxRetriesPerRequest: null });
  client.on("error", () => {});
  return {
    port,
    dir,
    url: `redis://127.0.0.1:${port}`,
    client,
    /** Stops Redis (SIGTERM: a clean shutdown) and starts it again on the same port and data. */
    async restart(signal: NodeJS.Signals = "SIGTERM") {
      await down(signal);
      await up();
    },
    async stop() {
      client.disconnect();
      await down();
    },
  };
}

export interface WorkerProcess {
  proc: ChildProcess;
  /** stderr lines so far. */
  lines: string[];
  exited: Promise<number | null>;
}

/** `biograd worker` as a process, resolved once it says it is ready. */
export async function startWorker(
  url: string,
  env: Record<string, string> = {},
  extra: string[] = [],
): Promise<WorkerProcess> {
  const proc = spawn(
    process.execPath,
    [
      MAIN,
      "worker",
      "--queue",
      url,
      "--lock-duration",
      "2000",
      "--stalled-interval",
      "1000",
      ...extra,
    ],
    {
      env: { ...process.env, ...env },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  const lines: string[] = [];
  const exited = new Promise<number | null>((r) => proc.once("exit", (code) => r(code)));
  await new Promise<void>((resolve, reject) => {
    let buffer = "";
    proc.stderr!.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      const parts = buffer.split("\n");
      buffer = parts.pop()!;
      lines.push(...parts);
      if (parts.some((l) => l.includes("ready"))) resolve();
    });
    exited.then((code) => reject(new Error(`worker exited ${code}: ${lines.join("\n")}`)));
  });
  return { proc, lines, exited };
}

export async function stopWorkers(workers: WorkerProcess[]) {
  for (const w of workers) if (w.proc.exitCode === null) w.proc.kill("SIGTERM");
  await Promise.all(workers.map((w) => w.exited));
}

/** N simulated 4PL curves from the committed generator (bench/groups/make-curves.mjs). */
export function makeCurves(dir: string, n: number): string {
  execFileSync(process.execPath, ["bench/groups/make-curves.mjs", `--n=${n}`, `--out=${dir}`]);
  return join(dir, `curves-${n}.csv`);
}

export const FIT_ARGS = [
  "--group",
  "compound",
  "--model",
  "4pl",
  "--x",
  "logconc",
  "--y",
  "response",
  "--fast",
  "--quiet",
];

export async function until(what: string, check: () => Promise<boolean> | boolean, ms = 30_000) {
  const t0 = Date.now();
  while (!(await check())) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

export const read = (path: string) => readFileSync(path, "utf8");
