import { MODELS } from "../nls/library/index.js";
import { table } from "./format.js";
import type { CliIO } from "./io.js";

/** `biograd models`: the model library, one line each (`--verbose` adds meanings and references). */
export function modelsCommand(flags: { verbose?: boolean }, io: CliIO): number {
  if (!flags.verbose) {
    const rows = MODELS.map((m) => [m.name, m.params.join(", "), m.formula]);
    for (const line of table([["model", "parameters", "formula"], ...rows])) io.out(line);
    io.out("");
    io.out(
      "biograd models --verbose: parameter meanings, self-start rules and references (docs/MODELS.md)",
    );
    return 0;
  }
  for (const m of MODELS) {
    io.out(`${m.name}${m.aliases?.length ? ` (also ${m.aliases.join(", ")})` : ""}: ${m.title}`);
    io.out(`  y = ${m.formula}   variables: ${m.variables.join(", ")}`);
    for (const p of m.params) io.out(`  ${p}: ${m.meaning[p]}`);
    for (const [c, meaning] of Object.entries(m.constants ?? {}))
      io.out(`  ${c} (constant, --const): ${meaning}`);
    io.out(`  self-start: ${m.selfStartRule}`);
    io.out(`  reference: ${m.reference}`);
    io.out("");
  }
  return 0;
}
