import { type Command, Option } from "commander";
import { InputError } from "../core/errors.js";
import type { CliIO } from "./io.js";
import { registerOdeFit } from "./ode-fit-register.js";
import type { OdeSimulateFlags } from "./ode-simulate.js";
import { parseInteger, parseNumber } from "./specs.js";

/**
 * `biograd ode …`: dynamic models written as model files (docs/ODE.md) — `simulate` a
 * trajectory; the fitting commands register themselves here too.
 */

const positive = (flag: string) => (v: string) => {
  const x = parseNumber(flag, v);
  if (!(x > 0)) throw new InputError(`${flag}: expected a number > 0, got "${v}"`);
  return x;
};

export function registerOde(program: Command, io: CliIO, setCode: (code: number) => void): Command {
  const ode = program
    .command("ode")
    .description(
      "Dynamic models: ODE systems from model files (.yaml/.json), with exact sensitivities",
    );
  ode
    .command("simulate")
    .description("Integrate a model file at given parameter values and write the trajectory as CSV")
    .argument("<model>", "model file (.yaml, .yml or .json; see docs/ODE.md)")
    .requiredOption(
      "--times <grid>",
      "output times: start:step:end (e.g. 0:0.1:50) or a list t1,t2,…",
    )
    .option(
      "--params <values>",
      "parameter values name=value,… (default: the model's start values)",
    )
    .option("--const <values>", "override constants: name=value,…")
    .option("--condition <name>", "the experimental condition whose constants to use")
    .addOption(
      new Option("--solver <name>", "auto: Dormand–Prince, switching to Rodas when stiff")
        .choices(["auto", "dopri5", "rodas"])
        .default("auto"),
    )
    .option("--rtol <x>", "relative tolerance (default 1e-6)", positive("--rtol"))
    .option("--atol <x>", "absolute tolerance (default 1e-8)", positive("--atol"))
    .option("--max-steps <n>", "step limit (accepted + rejected)", (v: string) =>
      parseInteger("--max-steps", v, 1),
    )
    .option("--sensitivities", "also write d<state>/d<param> for every state and free parameter")
    .option("--out <file>", "write the CSV here (atomically) instead of to stdout")
    .action(async (file: string, flags: OdeSimulateFlags) => {
      const { odeSimulateCommand } = await import("./ode-simulate.js");
      setCode(odeSimulateCommand(file, flags, io));
    });
  registerOdeFit(ode, io, setCode);
  return ode;
}
