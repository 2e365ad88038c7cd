import { z } from "zod";
import { InputError } from "../core/errors.js";
import { parseWith } from "../core/schema.js";
import { VERSION } from "../version.js";

/**
 * The part of a saved curve fit (`biograd fit --out`, the `fit-curve` task's result) that
 * prediction reads back, validated before anything is compiled or evaluated: wrong types,
 * nulls, absurd sizes and estimates missing a parameter are refused with the field's path.
 * Other fields are kept as they are (the file also holds settings and statistics).
 */
const MAX_NAMES = 1000;
const name = z.string().min(1).max(1000);

const savedFitSchema = z
  .looseObject({
    biograd: z.string().max(100),
    kind: z.literal("curve-fit"),
    data: z.looseObject({ y: name }),
    model: z.looseObject({
      formula: z.string().min(1).max(10_000),
      params: z.array(name).min(1).max(MAX_NAMES),
      variables: z.array(name).min(1).max(MAX_NAMES),
      columns: z.array(name).min(1).max(MAX_NAMES),
      constants: z.record(name, z.number()),
      /** Columns fitted on their log10 (`--x-log10`); absent in fits saved before it. */
      log10Columns: z.array(name).max(MAX_NAMES).optional(),
    }),
    result: z.looseObject({
      estimates: z.record(name, z.number()),
      converged: z.boolean(),
      /** Cov(θ̂) of the free parameters by name (natural coordinates); null without one. */
      covariance: z.record(name, z.record(name, z.number())).nullable().optional(),
      sigma: z.number().nonnegative().nullable().optional(),
      df: z.number().int().nonnegative().optional(),
      fixed: z.array(name).max(MAX_NAMES).optional(),
    }),
  })
  .superRefine((doc, ctx) => {
    if (doc.model.columns.length !== doc.model.variables.length) {
      ctx.addIssue({
        code: "custom",
        path: ["model", "columns"],
        message: `has ${doc.model.columns.length} names for ${doc.model.variables.length} variables`,
      });
    }
    for (const c of doc.model.log10Columns ?? []) {
      if (!doc.model.columns.includes(c)) {
        ctx.addIssue({
          code: "custom",
          path: ["model", "log10Columns"],
          message: `"${c}" is not one of model.columns`,
        });
      }
    }
    const cov = doc.result.covariance;
    if (cov) {
      const free = doc.model.params.filter((p) => !(doc.result.fixed ?? []).includes(p));
      for (const a of free) {
        for (const b of free) {
          if (cov[a]?.[b] === undefined) {
            ctx.addIssue({
              code: "custom",
              path: ["result", "covariance", a, b],
              message: "missing: the covariance needs every pair of free parameters",
            });
            return;
          }
        }
      }
      for (const a of Object.keys(cov)) {
        if (!free.includes(a)) {
          ctx.addIssue({
            code: "custom",
            path: ["result", "covariance", a],
            message: `not a free parameter of the model (free: ${free.join(", ")})`,
          });
        }
      }
    }
    for (const p of doc.model.params) {
      if (!Object.hasOwn(doc.result.estimates, p)) {
        ctx.addIssue({
          code: "custom",
          path: ["result", "estimates", p],
          message: "missing: every parameter of the model needs an estimate",
        });
      }
    }
  });

export type SavedFit = z.infer<typeof savedFitSchema>;

/** A saved fit, checked; `where` names it in messages (a path, or "model"). */
export function loadSavedFit(doc: unknown, where: string): SavedFit {
  const kind = (doc as { kind?: unknown } | null)?.kind;
  if (typeof doc !== "object" || doc === null || Array.isArray(doc) || kind !== "curve-fit") {
    throw new InputError(
      `${where}: ${typeof kind === "string" ? `kind: got ${JSON.stringify(kind.slice(0, 40))}; ` : ""}not a biograd fit, linear run or network ` +
        "(expected the --out of `biograd fit` or of a linear `biograd train`, or the --save of `biograd train`)",
    );
  }
  const saved = parseWith(savedFitSchema, doc, where);
  const minor = (v: string) => v.split(".").slice(0, 2).join(".");
  if (minor(saved.biograd) !== minor(VERSION)) {
    throw new InputError(
      `${where}: written by biograd ${saved.biograd}, this is ${VERSION}; refit with this version`,
    );
  }
  return saved;
}
