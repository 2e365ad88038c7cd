import type { Command } from "commander";
import type { DemoFlags } from "./demo-story.js";
import type { CliIO } from "./io.js";

/** The pictures `biograd demo` writes (named in its help, so defined beside it). */
export const DEMO_PICTURES = { seed: "demo-seed.svg", clipping: "demo-clipping.svg" } as const;

/**
 * `biograd demo`: with no sub-command, the whole story (`npm run demo`); its sub-commands
 * (`demo seed`) are registered on the command returned.
 */
export function registerDemo(
  program: Command,
  io: CliIO,
  setCode: (code: number) => void,
): Command {
  return program
    .command("demo")
    .description(
      "Run a built-in demonstration; without a sub-command: the seed's example (where the ±0.1 " +
        "clip only slows descent) and then a growth fit where plain gradient descent diverges " +
        `and the clipped run converges, with both pictures (${DEMO_PICTURES.seed}, ${DEMO_PICTURES.clipping})`,
    )
    .option("--plot-dir <dir>", "directory for the two pictures", ".")
    .option("--no-plots", "write no pictures")
    .action(async (flags: DemoFlags) => {
      const { demoStory } = await import("./demo-story.js");
      setCode(await demoStory(flags, io));
    });
}
