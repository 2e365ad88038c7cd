#!/usr/bin/env node
import { processIO } from "./io.js";
import { runCli } from "./program.js";

// processIO turns a failing stdout (a closed pipe, a full disk) into one line on stderr and
// exit code 1, also when the failure is reported after runCli has returned. The process is
// left to exit by itself, so pending output is flushed first.
const io = processIO();
const code = await runCli(process.argv.slice(2), io);
process.exitCode = Math.max(code, Number(process.exitCode ?? 0));
