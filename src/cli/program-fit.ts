import { type Command, Option } from "commander";
import type { FitFlags } from "./fit.js";
import type { FitGroupsFlags } from "./fit-groups.js";
import type { CliIO } from "./io.js";
import { optionInteger as int } from "./specs.js";

/**
 * `biograd fit`'s options. Registered alone when the command line starts with `fit`
 * (program.ts): a fit's start-up then builds no other command (bench/startup/RESULTS.md).
 */
export function registerFit(program: Command, io: CliIO, setCode: (code: number) => void): void {
  program
    .command("fit")
    .description("Fit a mechanistic model (library name or formula) with an nls-style summary")
    .argument("<file>", "CSV or TSV file with a header row")
    .requiredOption(
      "--model <name|formula>",
      'library model (see `biograd models`) or a formula such as "Vm*x/(K+x)"',
    )
    .option(
      "--x <columns>",
      "variable column(s): conc, or by name S=substrate,I=inhibitor (formulas may quote names: `conc (uM)`)",
    )
    .option(
      "--x-log10 <columns>",
      "fit on log10 of these column(s) (e.g. a 4pl on concentrations: --x-log10 conc); replaces or refines --x",
    )
    .requiredOption("--y <column>", "response column")
    .option(
      "--start <name=value,…>",
      "start values (library models start themselves from the data)",
    )
    .option("--const <name=value,…>", "named constants in the formula, e.g. Dose=4.02")
    .option("--bounds <name=lo:hi,…>", "bounds as a reparameterisation, e.g. K=0:inf,n=0.5:4")
    .option("--fix <name=value,…>", "hold parameters fixed")
    .option("--weights <column|1/y|1/y^2>", "weights: a column, or by the observed response")
    .option(
      "--phases <list>",
      "clipped (robust first-order phase), lm (Levenberg–Marquardt polish); default: LM from the start, the clipped phase first when that fails",
    )
    .option("--na <tokens>", "comma-separated tokens that mark missing values (rows are dropped)")
    .option("--delimiter <char>", "field delimiter (default: by extension, tab for .tsv)")
    .option("--sheet <name>", "an Excel workbook's sheet (default the first)")
    .option("--out <file>", "write the fit as JSON (for `biograd predict`)")
    .option("--residuals <file>", "write each row's x, y, fitted value, residual and weight as CSV")
    .option(
      "--plot <file>",
      "draw the fit (data, curve, confidence and prediction bands, residuals, Q-Q): FILE.svg or FILE.png",
    )
    .addOption(
      new Option("--ci <method>", "intervals: wald, or profile (profile likelihood beside Wald)")
        .choices(["wald", "profile"])
        .default("wald"),
    )
    .addOption(new Option("--format <kind>", "output").choices(["table", "json"]).default("table"))
    .option("--no-codegen", "evaluate formulas with the interpreter instead of generated code")
    .option("--group <columns>", "fit each group of rows on its own: compound or compound,plate")
    .option("--share <params>", "with --group: one global fit with these parameters common")
    .option("--compare-shared", "with --share: F test and ΔAICc against the unshared fit")
    .option("--fast", "with --group: the many-curves engine (agrees with the exact one to ~1e-7)")
    .option("--workers <n>", "with --group: worker threads (0: this thread)", int("--workers", 0))
    .option(
      "--resume <journal.jsonl>",
      "with --group: journal finished groups; skip those it holds",
    )
    .option("--quiet", "with --group: no progress on stderr")
    .action(async (file: string, flags: FitFlags & FitGroupsFlags) => {
      // Each loads its own bundle (scripts/bundle-cli.mjs): a grouped fit does not load the
      // single fit's code first.
      if (flags.group !== undefined) {
        const { fitGroupsCommand } = await import("./fit-groups.js");
        setCode(await fitGroupsCommand(file, flags, io));
        return;
      }
      const { fitCommand } = await import("./fit.js");
      setCode(await fitCommand(file, flags, io));
    });
}
