#!/usr/bin/env node
import { processIO } from "./io.js";
import { runCli } from "./program.js";

// `biograd predict … | head` closes the pipe early: stop quietly, as Unix tools do.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

process.exitCode = await runCli(process.argv.slice(2), processIO());
