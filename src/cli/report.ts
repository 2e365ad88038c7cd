import { extname } from "node:path";
import { InputError } from "../core/errors.js";
import { planOutputs } from "../io/output-plan.js";
import { readJsonFile } from "../learn/saved-network.js";
import { resultReport } from "../report/report-page.js";
import type { CliIO } from "./io.js";

/**
 * `biograd report RESULT.json --out report.html`: one self-contained HTML file (inline SVG,
 * the Vega-Lite spec with its data, the summary tables, the command and versions) that opens
 * from disk offline. The output is checked before the result is read.
 */
export async function reportCommand(
  file: string,
  flags: { out: string },
  io: CliIO,
): Promise<number> {
  const ext = extname(flags.out).toLowerCase();
  if (ext !== ".html" && ext !== ".htm") {
    throw new InputError(`--out ${flags.out}: expected a file name ending in .html`);
  }
  const plan = planOutputs([{ option: "--out", path: flags.out }], [file]);
  const html = await resultReport(readJsonFile(file), {
    source: file,
    command: `biograd report ${file} --out ${flags.out}`,
  });
  plan.write("--out", html);
  io.out(`wrote ${flags.out}`);
  return 0;
}
