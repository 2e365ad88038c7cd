import { z } from "zod";

/**
 * What the ODE fit charts read from a saved `biograd ode fit` result, checked first: errors
 * name the JSON path of the bad field (`fit.json: trajectory.times[3]: …`). Other fields are
 * kept as they are.
 */
const MAX_ROWS = 10_000_000;
const num = z.number();
const maybe = z.number().nullable();
const column = z.array(num).max(MAX_ROWS);
const name = z.string().min(1).max(1000);

const bandSchema = z.looseObject({ lower: column, upper: column });

export const odeFitChartSchema = z.looseObject({
  kind: z.literal("ode-fit"),
  data: z.looseObject({
    time: name,
    times: column,
    observed: z.record(name, z.array(maybe).max(MAX_ROWS)),
  }),
  result: z.looseObject({ rss: maybe, converged: z.boolean() }),
  trajectory: z
    .looseObject({
      times: column,
      fitted: z.record(name, column),
      band: z.record(name, bandSchema).nullable(),
      level: num,
    })
    .nullable(),
  multistart: z
    .looseObject({
      starts: num,
      hits: num,
      tolerance: num,
      bestRss: maybe,
      waterfall: z.array(z.looseObject({ index: num, rss: maybe, converged: z.boolean() })),
    })
    .nullable(),
  profile: z
    .looseObject({
      level: num,
      df: num,
      tQuantile: num,
      refits: num,
      parameters: z.array(
        z.looseObject({
          name,
          estimate: num,
          standardError: maybe,
          lower: maybe,
          upper: maybe,
          lowerReason: z.string().nullable(),
          upperReason: z.string().nullable(),
          nonIdentifiable: z.boolean(),
          wald: z.looseObject({ lower: num, upper: num }).nullable(),
          trace: z.array(z.looseObject({ value: num, tau: num, rss: num })),
        }),
      ),
    })
    .nullable(),
});

export type OdeFitChartDoc = z.output<typeof odeFitChartSchema>;
