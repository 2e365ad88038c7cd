import { spawn } from "node:child_process";
import type { Command } from "commander";
import { InputError } from "../core/errors.js";
import { DEFAULTS } from "../serve/options.js";
import type { CliIO } from "./io.js";
import { parseInteger, parseNumber } from "./specs.js";
import { STOP_SIGNALS, type StopSignal } from "./stop-signals.js";

export interface ServeFlags {
  port: number;
  host?: string;
  open?: boolean;
  maxUploadMb: number;
  maxTasks: number;
}

/**
 * `biograd serve`: the local web app. Prints the URL with its token (like Jupyter), runs until
 * SIGINT/SIGTERM, then cancels running tasks, removes the uploads and exits 130/143.
 */
export async function serveCommand(flags: ServeFlags, io: CliIO): Promise<number> {
  const { startServer } = await import("../serve/server.js");
  const server = await startServer({
    port: flags.port,
    host: flags.host ?? DEFAULTS.host,
    hostGiven: flags.host !== undefined,
    maxUploadBytes: Math.round(flags.maxUploadMb * 2 ** 20),
    maxTasks: flags.maxTasks,
    onInternalError: (id, error) => {
      io.err(`biograd serve: task ${id}: internal error: ${error.message.split("\n")[0]}`);
      if (process.env.BIOGRAD_DEBUG && process.env.BIOGRAD_DEBUG !== "0") io.err(error.stack);
    },
  });
  if (server.warning) io.err(server.warning);
  io.out(`biograd serve: ${server.url}`);
  io.out("biograd serve: press Ctrl+C to stop (running tasks are cancelled, uploads removed)");
  if (flags.open) openBrowser(server.url, io);
  const signal = await new Promise<StopSignal>((resolve) => {
    for (const name of Object.keys(STOP_SIGNALS) as StopSignal[])
      process.once(name, () => resolve(name));
  });
  // A second signal while closing ends the process at once.
  for (const name of Object.keys(STOP_SIGNALS) as StopSignal[]) {
    process.once(name, () => process.exit(STOP_SIGNALS[name]));
  }
  await server.close();
  io.err(`biograd serve: stopped by ${signal}`);
  return STOP_SIGNALS[signal];
}

/** Best effort: xdg-open (open on macOS); a failure is one line, the server runs on. */
function openBrowser(url: string, io: CliIO): void {
  const command = process.platform === "darwin" ? "open" : "xdg-open";
  try {
    const child = spawn(command, [url], { detached: true, stdio: "ignore" });
    child.on("error", () =>
      io.err(`biograd serve: could not start ${command}; open the URL yourself`),
    );
    child.unref();
  } catch {
    io.err(`biograd serve: could not start ${command}; open the URL yourself`);
  }
}

export function registerServe(program: Command, io: CliIO, setCode: (code: number) => void): void {
  program
    .command("serve")
    .description("The local web app: load a table, fit or train, see charts, download results")
    .option(
      "--port <n>",
      "port (0: any free one)",
      (v) => parseInteger("--port", v, 0),
      DEFAULTS.port,
    )
    .option(
      "--host <address>",
      `address to listen on (default ${DEFAULTS.host}; others print a warning)`,
    )
    .option("--open", "open the page in the browser")
    .option(
      "--max-upload-mb <n>",
      "largest upload, in MB",
      (v) => {
        const x = parseNumber("--max-upload-mb", v);
        if (!(x > 0)) throw new InputError(`--max-upload-mb: expected a number > 0, got "${v}"`);
        return x;
      },
      DEFAULTS.maxUploadBytes / 2 ** 20,
    )
    .option(
      "--max-tasks <n>",
      "tasks running at once (more wait in a queue)",
      (v) => parseInteger("--max-tasks", v, 1),
      DEFAULTS.maxTasks,
    )
    .action(async (flags: ServeFlags) => setCode(await serveCommand(flags, io)));
}
