import { z } from "zod";
import type { OdeFitSetup } from "../ode/fit/setup.js";
import type { OdeModelOverrides } from "../ode/model/index.js";
import { boundSchema } from "./fit-curve-request.js";

/**
 * An ODE fit request: plain JSON, what `biograd ode fit` builds. Overrides (`start`,
 * `constants`, `bounds`, `fix`) replace the model file's values; infinite bounds are null.
 */
const MAX_NAMES = 1000;
const name = z.string().min(1).max(1000);
const numbers = z.record(name, z.number()).refine((r) => Object.keys(r).length <= MAX_NAMES, {
  message: `at most ${MAX_NAMES} names`,
});

export const odeFitRequestSchema = z
  .object({
    task: z.literal("ode-fit"),
    /** A model file (.yaml/.json), or its text with a name for messages. */
    model: z.union([
      z.object({ file: z.string().min(1) }).strict(),
      z.object({ text: z.string().min(1).max(1_000_000), name: name.optional() }).strict(),
    ]),
    /** Wide data: a time column and one column per observable (empty cells allowed). */
    data: z
      .object({
        file: z.string().min(1),
        delimiter: z.string().optional(),
        na: z.array(z.string()).max(100).optional(),
        sheet: z.string().min(1).max(1000).optional(),
      })
      .strict(),
    time: name,
    start: numbers.optional(),
    constants: numbers.optional(),
    bounds: z.record(name, boundSchema).optional(),
    fix: numbers.optional(),
    solver: z.enum(["auto", "dopri5", "rodas"]).optional(),
    rtol: z.number().positive().optional(),
    atol: z.number().positive().optional(),
    maxSteps: z.number().int().positive().optional(),
    /** Confidence level of the intervals and bands. */
    level: z.number().gt(0).lt(1).optional(),
    /** Multistart: this many seeded Latin-hypercube starts within the bounds. */
    starts: z.number().int().min(1).max(100_000).optional(),
    seed: z.number().int().min(0).max(0xffffffff).optional(),
    /** Profile likelihood of every free parameter. */
    profile: z.boolean().optional(),
    /** Time-horizon continuation before Levenberg–Marquardt (default true). */
    continuation: z.boolean().optional(),
  })
  .strict();

export type OdeFitRequest = z.infer<typeof odeFitRequestSchema>;

/** The plain setup (model, overrides, data, solver) the fit and its workers rebuild from. */
export function odeFitSetup(request: OdeFitRequest): OdeFitSetup {
  const overrides: OdeModelOverrides = {
    ...(request.start === undefined ? {} : { start: request.start }),
    ...(request.constants === undefined ? {} : { const: request.constants }),
    ...(request.fix === undefined ? {} : { fix: request.fix }),
    ...(request.bounds === undefined
      ? {}
      : {
          bounds: Object.fromEntries(
            Object.entries(request.bounds).map(([k, b]) => [
              k,
              {
                lower: b.lower ?? Number.NEGATIVE_INFINITY,
                upper: b.upper ?? Number.POSITIVE_INFINITY,
              },
            ]),
          ),
        }),
  };
  const d = request.data;
  return {
    model:
      "file" in request.model
        ? { file: request.model.file }
        : { text: request.model.text, name: request.model.name ?? "request model" },
    overrides,
    data: {
      file: d.file,
      time: request.time,
      ...(d.na === undefined ? {} : { na: d.na }),
      ...(d.delimiter === undefined ? {} : { delimiter: d.delimiter }),
      ...(d.sheet === undefined ? {} : { sheet: d.sheet }),
    },
    solve: {
      ...(request.solver === undefined ? {} : { solver: request.solver }),
      ...(request.rtol === undefined ? {} : { rtol: request.rtol }),
      ...(request.atol === undefined ? {} : { atol: request.atol }),
      ...(request.maxSteps === undefined ? {} : { maxSteps: request.maxSteps }),
    },
    ...(request.level === undefined ? {} : { level: request.level }),
    ...(request.continuation === undefined ? {} : { continuation: request.continuation }),
  };
}
