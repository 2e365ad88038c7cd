import type { CliIO } from "../../src/cli/io.js";
import { runCli } from "../../src/cli/program.js";

/** Runs the CLI in-process and captures what it prints. */
export async function cli(
  ...argv: string[]
): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = {
    out: (t) => out.push(...t.split("\n")),
    err: (t) => err.push(...t.split("\n")),
    isTTY: false,
  };
  const code = await runCli(argv, io);
  return { code, out, err };
}
